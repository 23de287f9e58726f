import { mkdir, mkdtemp, readFile, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ipaddr from "ipaddr.js";
import { AppError } from "../core/errors.ts";
import type { CommandRunner } from "./runner.ts";
import type { SshSession } from "./session.ts";

/**
 * sshd lock-down. "off": stop sshd now (ssh.socket too, for socket-activated Ubuntu), disable it
 * only on confirm, start it again on rollback. "admin-only": a drop-in sshd reads before anything
 * else (first value wins), validated with `sshd -t` against the real main config before install.
 */

const PRIVSEP_DIR = "/run/sshd";

export const SSH_UNITS = ["ssh.socket", "ssh.service"] as const;

export type SshUndo =
  | { mode: "off"; units: { unit: string; wasActive: boolean; wasEnabled: boolean }[] }
  | { mode: "admin-only"; dropInPath: string; previous: string | null; reloaded: boolean };

/** The drop-in for admin-only. Pure. */
export function sshdDropIn(cidrs: readonly string[]): string {
  if (cidrs.length === 0) throw new AppError("USAGE", "ssh admin-only needs at least one firewall.adminAccess entry for the SSH port: nobody could log in", {
    hint: "add e.g. `adminAccess: [{cidr: 203.0.113.7/32, port: 22}]` under firewall: in nodeward.yaml, or use --ssh off",
  });
  return [
    "# nodeward: ssh admin-only. Generated from firewall.adminAccess in nodeward.yaml; `nodeward host rollback` restores the previous file.",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin prohibit-password",
    `AllowUsers ${cidrs.map((c) => `*@${c}`).join(" ")}`,
    "",
  ].join("\n");
}

export type SshGuard = { ok: true } | { ok: false; why: string };

/** Would this SSH change cut off the session we run in? Pure. */
export function sshGuard(mode: "off" | "admin-only", session: SshSession, cidrs: readonly string[]): SshGuard {
  if (session.over === "none") return { ok: true };
  if (mode === "off") {
    const from = session.over === "ssh" ? `from ${session.clientIp}` : `(${session.how})`;
    return { ok: false, why: `you are logged in over SSH ${from}; --ssh off would leave only the provider's web console to get back in` };
  }
  if (session.over === "ssh-unknown") return { ok: false, why: `you are logged in over SSH (${session.how}) from an address nodeward cannot read, so it cannot tell whether admin-only lets you back in` };
  const addr = ipaddr.parse(session.clientIp);
  const inside = cidrs.some((c) => {
    const [net = "", bits = ""] = c.split("/");
    const n = ipaddr.parse(net);
    return n.kind() === addr.kind() && addr.match(n, Number(bits));
  });
  return inside ? { ok: true } : { ok: false, why: `you are logged in over SSH from ${session.clientIp}, which is not in firewall.adminAccess (${cidrs.join(", ")}): admin-only would refuse your next login` };
}

/** Runs `sshd -t -f TMP` on the drop-in followed by the main config, as sshd would read them. null when valid, else sshd's message. */
export async function validateSshd(runner: CommandRunner, dropIn: string, mainConfigPath: string, sshdPath = "sshd"): Promise<string | null> {
  const main = await readFile(mainConfigPath, "utf8");
  const dir = await mkdtemp(join(tmpdir(), "nodeward-sshd-"));
  // sshd -t insists on its privilege-separation directory, which ssh.service creates at start
  // (RuntimeDirectory=sshd); create it like the unit does when sshd is not running, and remove it again.
  const madePrivsep = await stat(PRIVSEP_DIR).then(() => false, async () => {
    await mkdir(PRIVSEP_DIR, { mode: 0o755 }).catch(() => undefined);
    return true;
  });
  try {
    const file = join(dir, "sshd_config");
    await writeFile(file, `${dropIn}\n${main}`, { mode: 0o600 });
    const r = await runner.run(sshdPath, ["-t", "-f", file]);
    return r.code === 0 ? null : (r.stderr.trim() || r.stdout.trim() || `sshd -t exited ${String(r.code)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (madePrivsep) await rmdir(PRIVSEP_DIR).catch(() => undefined);
  }
}

export interface SshDeps {
  runner: CommandRunner;
  /** /etc/ssh/sshd_config: validated together with the drop-in. */
  mainConfigPath: string;
  sshdPath?: string;
}

/** Applies the SSH mode now; returns how to undo it. Throws (changing nothing) when it cannot. */
export async function applySsh(mode: "off" | "admin-only", deps: SshDeps, opts: { cidrs: readonly string[]; dropInPath: string }): Promise<SshUndo> {
  const { runner } = deps;
  if (mode === "off") {
    const units: { unit: string; wasActive: boolean; wasEnabled: boolean }[] = [];
    for (const unit of SSH_UNITS) {
      const active = await runner.run("systemctl", ["is-active", "--quiet", unit]);
      if (active.code === null) throw new AppError("HOST_COMMAND_FAILED", `cannot run systemctl to stop sshd: ${active.stderr}`, { hint: "--ssh off needs systemd; stop sshd by hand, or keep ssh: unchanged" });
      const enabled = await runner.run("systemctl", ["is-enabled", "--quiet", unit]);
      units.push({ unit, wasActive: active.code === 0, wasEnabled: enabled.code === 0 });
    }
    const stop = await runner.run("systemctl", ["stop", ...SSH_UNITS]);
    if (stop.code !== 0) throw new AppError("HOST_COMMAND_FAILED", `\`${runner.describe("systemctl", ["stop", ...SSH_UNITS])}\` failed: ${stop.stderr.trim()}`);
    return { mode: "off", units };
  }
  const text = sshdDropIn(opts.cidrs);
  const invalid = await validateSshd(runner, text, deps.mainConfigPath, deps.sshdPath);
  if (invalid !== null) throw new AppError("HOST_COMMAND_FAILED", `sshd rejects the admin-only drop-in, so it was not installed: ${invalid}`, { hint: `checked with sshd -t against ${deps.mainConfigPath}` });
  const previous = await readFile(opts.dropInPath, "utf8").catch(() => null);
  await writeFile(opts.dropInPath, text, { mode: 0o644 });
  const reloaded = await reloadSshd(runner);
  return { mode: "admin-only", dropInPath: opts.dropInPath, previous, reloaded };
}

/** Puts SSH back as it was before apply. Returns problems as text (rollback goes on regardless). */
export async function undoSsh(runner: CommandRunner, undo: SshUndo): Promise<string[]> {
  const problems: string[] = [];
  if (undo.mode === "off") {
    const start = undo.units.filter((u) => u.wasActive).map((u) => u.unit);
    if (start.length > 0) {
      const r = await runner.run("systemctl", ["start", ...start]);
      if (r.code !== 0) problems.push(`systemctl start ${start.join(" ")}: ${r.stderr.trim()}`);
    }
    return problems;
  }
  if (undo.previous === null) await rm(undo.dropInPath, { force: true });
  else await writeFile(undo.dropInPath, undo.previous, { mode: 0o644 });
  if (undo.reloaded) await reloadSshd(runner);
  return problems;
}

/** On confirm: make "off" survive a reboot. */
export async function persistSsh(runner: CommandRunner, undo: SshUndo): Promise<string[]> {
  if (undo.mode !== "off") return [];
  const r = await runner.run("systemctl", ["disable", ...SSH_UNITS]);
  return r.code === 0 ? [] : [`systemctl disable ${SSH_UNITS.join(" ")}: ${r.stderr.trim()}`];
}

async function reloadSshd(runner: CommandRunner): Promise<boolean> {
  const active = await runner.run("systemctl", ["is-active", "--quiet", "ssh.service"]);
  if (active.code !== 0) return false;
  const r = await runner.run("systemctl", ["reload", "ssh.service"]);
  return r.code === 0;
}
