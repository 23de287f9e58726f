import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { AppError } from "../core/errors.ts";
import type { DesiredPolicy } from "../firewall/policy.ts";
import { lockoutGuard } from "./guard.ts";
import { checkRuleset, loadRulesetFile, readTable } from "./nft.ts";
import { persistRuleset, type PersistTargets } from "./persist.ts";
import { emptyTableReplace, removeTableFile, type HostRuleset } from "./ruleset.ts";
import type { CommandRunner } from "./runner.ts";
import type { SshSession } from "./session.ts";
import { applySsh, persistSsh, sshGuard, undoSsh, type SshDeps, type SshUndo } from "./ssh.ts";
import { claimPending, ensureStateDir, readPending, stateFiles, writeAtomic, writePending, type Pending } from "./state.ts";
import { cancelTimer, type TimerStarter } from "./timer.ts";

/**
 * apply → (confirm | rollback | timer). Invariant 6: a host firewall change rolls back by itself
 * unless confirmed. Order in apply: guards → `nft -c` → save previous → load (one transaction)
 * → SSH → pending.json → timer. Any failure after the load puts the previous ruleset back.
 */

export interface HostDeps {
  runner: CommandRunner;
  stateDir: string;
  now: () => number;
  startTimer: TimerStarter;
  env: NodeJS.ProcessEnv;
}

export interface ApplyRequest {
  ruleset: HostRuleset;
  policy: DesiredPolicy;
  session: SshSession;
  sshPort: number;
  rollbackSeconds: number;
  force: boolean;
  ssh: { mode: "off" | "admin-only"; cidrs: readonly string[]; dropInPath: string; deps: SshDeps } | null;
}

export interface ApplyResult {
  token: string;
  deadline: Date;
  previousExisted: boolean;
  /** An earlier apply was still pending: its saved ruleset stays the one to roll back to. */
  replacedPending: boolean;
  ssh: SshUndo | null;
  timer: Pending["timer"];
  /** Why the lock-out guard let this through (or that --force overrode it). */
  guard: string;
}

export async function applyHost(req: ApplyRequest, deps: HostDeps): Promise<ApplyResult> {
  const verdict = lockoutGuard(req.policy, req.session, req.sshPort);
  if (!verdict.ok && !req.force) {
    throw new AppError("APPLY_UNSAFE", `refusing to load the ruleset: ${verdict.why}`, {
      hint: "add your address to firewall.adminAccess (port 22), or run this from the provider's web console; --force overrides (the rollback timer still runs)",
    });
  }
  if (req.ssh !== null) {
    const g = sshGuard(req.ssh.mode, req.session, req.ssh.cidrs);
    if (!g.ok && !req.force) {
      throw new AppError("APPLY_UNSAFE", `refusing --ssh ${req.ssh.mode}: ${g.why}`, {
        hint: "run it from the provider's web console, or pass --force (the rollback timer would start sshd again unless you confirm)",
      });
    }
  }
  const { runner } = deps;
  const invalid = await checkRuleset(runner, req.ruleset.file);
  if (invalid !== null) throw new AppError("APPLY_FAILED", `nft rejects the ruleset, nothing was changed:\n${invalid}`);

  await ensureStateDir(deps.stateDir);
  const files = stateFiles(deps.stateDir);
  // An earlier apply still pending is taken over: claimed now (its timer then finds nothing to do),
  // handed back untouched if this apply fails, its timer stopped only once this one runs.
  const earlier = await claimPending(deps.stateDir, "apply");
  const giveBack = async (): Promise<void> => {
    if (earlier === null) return;
    await writePending(deps.stateDir, earlier);
    if (deps.now() >= Date.parse(earlier.deadline)) await rollbackHost(deps, { token: earlier.token }); // its timer has come and gone
  };
  let previousExisted: boolean;
  try {
    if (earlier === null) {
      const loaded = await readTable(runner);
      previousExisted = loaded.exists;
      await writeAtomic(files.previous, loaded.exists ? `# nodeward: the table as it was before apply\n${emptyTableReplace()}${loaded.listing}` : removeTableFile());
    } else {
      previousExisted = earlier.previousExisted;
    }
    await writeAtomic(files.applied, req.ruleset.file, 0o644);
  } catch (e) {
    await giveBack();
    throw e;
  }
  const failed = await loadRulesetFile(runner, files.applied);
  if (failed !== null) {
    await giveBack();
    throw new AppError("APPLY_FAILED", `nft could not load the ruleset; the one loaded before is unchanged:\n${failed}`, {
      hint: earlier === null ? undefined : "the earlier apply is still pending, with its own deadline",
    });
  }
  const ssh: SshUndo[] = [...(earlier?.ssh ?? [])];
  try {
    if (req.ssh !== null) ssh.push(await applySsh(req.ssh.mode, req.ssh.deps, { cidrs: req.ssh.cidrs, dropInPath: req.ssh.dropInPath }));
  } catch (e) {
    // Back to the last confirmed state: the saved ruleset, and any earlier pending SSH change undone.
    await loadRulesetFile(runner, files.previous);
    await undoAll(runner, ssh);
    if (earlier !== null) await cancelTimer(runner, earlier.timer, earlier.token);
    await rm(files.previous, { force: true });
    throw e;
  }
  if (earlier !== null) await cancelTimer(runner, earlier.timer, earlier.token);
  const token = randomBytes(16).toString("hex");
  const nowMs = deps.now();
  const deadlineMs = nowMs + req.rollbackSeconds * 1000;
  const pending: Pending = {
    version: 1, token, appliedAt: new Date(nowMs).toISOString(), deadline: new Date(deadlineMs).toISOString(), previousExisted, ssh, timer: null,
  };
  await writePending(deps.stateDir, pending);
  try {
    pending.timer = await deps.startTimer({ stateDir: deps.stateDir, token, deadlineMs, nowMs, env: deps.env });
  } catch (e) {
    await rollbackHost(deps, { token });
    throw new AppError("APPLY_FAILED", `could not start the rollback timer, so the change was rolled back: ${(e as Error).message}`, { cause: e });
  }
  // Only if nothing claimed it meanwhile (a 2-second timer can fire before we get here).
  const still = await readPending(deps.stateDir);
  if (still?.token === token) await writePending(deps.stateDir, pending);
  return {
    token, deadline: new Date(deadlineMs), previousExisted, replacedPending: earlier !== null, ssh: ssh.at(-1) ?? null, timer: pending.timer,
    guard: verdict.ok ? verdict.why : `overridden by --force: ${verdict.why}`,
  };
}

async function undoAll(runner: CommandRunner, undo: readonly SshUndo[]): Promise<string[]> {
  const problems: string[] = [];
  for (const u of [...undo].reverse()) problems.push(...(await undoSsh(runner, u)));
  return problems;
}

export type RollbackResult =
  | { status: "nothing-pending" }
  | { status: "rolled-back"; previousExisted: boolean; problems: string[] }
  | { status: "failed"; message: string };

/** Restores the saved ruleset (and SSH). With `token`, only if that apply is still the pending one. */
export async function rollbackHost(deps: HostDeps, opts: { token?: string; fromTimer?: boolean } = {}): Promise<RollbackResult> {
  const pending = await claimPending(deps.stateDir, "rollback", opts.token);
  if (pending === null) return { status: "nothing-pending" };
  const files = stateFiles(deps.stateDir);
  const failed = await loadRulesetFile(deps.runner, files.previous);
  if (failed !== null) {
    await writePending(deps.stateDir, pending); // keep it: the operator must see and retry
    return { status: "failed", message: failed };
  }
  const problems = await undoAll(deps.runner, pending.ssh);
  if (opts.fromTimer !== true) await cancelTimer(deps.runner, pending.timer, pending.token);
  await rm(files.previous, { force: true });
  return { status: "rolled-back", previousExisted: pending.previousExisted, problems };
}

export type ConfirmResult =
  | { status: "nothing-pending" }
  | { status: "too-late"; rollback: RollbackResult }
  | { status: "confirmed"; persisted: string[]; problems: string[] };

/** Cancels the rollback, then (only then) makes the ruleset and the SSH setting survive a reboot. */
export async function confirmHost(deps: HostDeps, targets: PersistTargets): Promise<ConfirmResult> {
  const current = await readPending(deps.stateDir);
  if (current === null) return { status: "nothing-pending" };
  if (deps.now() >= Date.parse(current.deadline)) return { status: "too-late", rollback: await rollbackHost(deps, { token: current.token }) };
  const pending = await claimPending(deps.stateDir, "confirm", current.token);
  if (pending === null) return { status: "nothing-pending" };
  await cancelTimer(deps.runner, pending.timer, pending.token);
  const files = stateFiles(deps.stateDir);
  const text = await readFile(files.applied, "utf8");
  const { written, problems } = await persistRuleset(deps.runner, text, targets);
  for (const u of pending.ssh) problems.push(...(await persistSsh(deps.runner, u)));
  await rm(files.previous, { force: true });
  await writeAtomic(files.confirmed, `${JSON.stringify({ confirmedAt: new Date(deps.now()).toISOString(), token: pending.token, ssh: pending.ssh.map((u) => u.mode) }, null, 2)}\n`);
  return { status: "confirmed", persisted: written, problems };
}
