import { spawn } from "node:child_process";
import { existsSync, openSync, closeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { packagePath } from "../core/package-root.ts";
import type { CommandRunner } from "./runner.ts";
import { stateFiles, type TimerRef } from "./state.ts";

/**
 * The rollback timer must outlive the CLI (and the SSH session it may run in). Under systemd
 * (PID 1), a transient timer unit (`systemd-run --on-active`); otherwise a detached process in
 * its own session, output to rollback.log. Either runs
 *   nodeward host rollback --state-dir DIR --at DEADLINE --if-unconfirmed TOKEN
 * which does nothing unless that very apply is still pending at the deadline.
 */

/** From the package root, not this module: the same in src/ (tsx) and in the bundle in dist/. */
const BIN = packagePath("bin", "nodeward.js");

export interface TimerRequest {
  stateDir: string;
  token: string;
  deadlineMs: number;
  nowMs: number;
  env: NodeJS.ProcessEnv;
}

export type TimerStarter = (req: TimerRequest) => Promise<TimerRef>;

export function rollbackArgs(req: Pick<TimerRequest, "stateDir" | "token" | "deadlineMs">): string[] {
  return [BIN, "host", "rollback", "--state-dir", req.stateDir, "--at", String(req.deadlineMs), "--if-unconfirmed", req.token];
}

/** Whether systemd runs this machine (sd_booted): /run/systemd/system exists. */
export function systemdBooted(): boolean {
  return existsSync("/run/systemd/system");
}

export const detachedTimer: TimerStarter = async (req) => {
  const log = openSync(stateFiles(req.stateDir).log, "a", 0o600);
  try {
    const child = spawn(process.execPath, rollbackArgs(req), { detached: true, stdio: ["ignore", log, log], env: req.env });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("spawn", () => resolve(child.pid ?? 0));
    });
    child.unref();
    return { kind: "process", pid };
  } finally {
    closeSync(log);
  }
};

export function systemdTimer(runner: CommandRunner): TimerStarter {
  return async (req) => {
    const unit = `nodeward-rollback-${req.token.slice(0, 12)}`;
    const seconds = Math.max(1, Math.ceil((req.deadlineMs - req.nowMs) / 1000));
    const r = await runner.run("systemd-run", [
      `--unit=${unit}`, `--on-active=${seconds}s`, "--timer-property=AccuracySec=1s", "--collect",
      process.execPath, ...rollbackArgs(req),
    ]);
    if (r.code !== 0) throw new Error(`systemd-run failed: ${r.stderr.trim()}`);
    return { kind: "systemd", unit };
  };
}

/** Stops a timer that is no longer needed (it would do nothing anyway: the token check). */
export async function cancelTimer(runner: CommandRunner, timer: TimerRef | null, token: string): Promise<void> {
  if (timer === null) return;
  if (timer.kind === "systemd") {
    await runner.run("systemctl", ["stop", `${timer.unit}.timer`]);
    return;
  }
  if (timer.pid === process.pid || timer.pid <= 1) return;
  // Only a process whose command line carries this token: pids are reused.
  const cmdline = await readFile(`/proc/${timer.pid}/cmdline`, "utf8").catch(() => "");
  if (!cmdline.includes(token)) return;
  try {
    process.kill(timer.pid, "SIGTERM");
  } catch {
    // already gone
  }
}
