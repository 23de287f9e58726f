import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { findCoin } from "../../coins/index.ts";
import type { Config } from "../../config/schema.ts";
import { AppError } from "../../core/errors.ts";
import { desiredPolicy, type DesiredPolicy } from "../../firewall/policy.ts";
import { applyHost, confirmHost, rollbackHost, type HostDeps } from "../../host/apply.ts";
import { cloudInit } from "../../host/cloud-init.ts";
import { auditDaemonConf, renderConfFindings, type AuditOptions } from "../../host/conf-audit.ts";
import type { LockdownConfig, SshMode } from "../../host/config.ts";
import { diffLines } from "../../host/diff.ts";
import { readTable } from "../../host/nft.ts";
import { hostRuleset, type HostRuleset } from "../../host/ruleset.ts";
import { runnerFromEnv, type CommandRunner } from "../../host/runner.ts";
import { detectSession } from "../../host/session.ts";
import { readPending } from "../../host/state.ts";
import { hostStatus } from "../../host/status.ts";
import { detachedTimer, systemdBooted, systemdTimer } from "../../host/timer.ts";
import { planRequestFromConfig } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import type { Io } from "../io.ts";

/** `nodeward host …` and `nodeward cloud-init`: config → the host capability, and its output. */

export interface HostContext {
  io: Io;
  config: Config;
  json: boolean;
}

/** The same policy as the cloud firewall (IPv6 always: rules for a family the host lacks are harmless). */
export function hostPolicy(config: Config): DesiredPolicy {
  return desiredPolicy(planRequestFromConfig(config).policy, true);
}

export function rulesetFor(config: Config): HostRuleset {
  return hostRuleset(hostPolicy(config), { origin: `nodeward host firewall for coin ${config.coin}` });
}

function runnerFor(io: Io): CommandRunner {
  return runnerFromEnv(io.env);
}

function depsFor(io: Io, lockdown: Pick<LockdownConfig, "stateDir">, runner = runnerFor(io)): HostDeps {
  const useSystemd = runner.prefix.length === 0 && systemdBooted();
  return { runner, stateDir: expandHome(lockdown.stateDir), now: Date.now, startTimer: useSystemd ? systemdTimer(runner) : detachedTimer, env: io.env };
}

export function expandHome(p: string): string {
  return p === "~" || p.startsWith("~/") ? `${homedir()}${p.slice(1)}` : p;
}

/** firewall.adminAccess CIDRs that cover the SSH port over TCP. */
function sshCidrs(config: Config): string[] {
  const port = config.lockdown.sshPort;
  return config.firewall.adminAccess.filter((a) => a.protocol === "tcp" && a.port <= port && port <= (a.portEnd ?? a.port)).map((a) => a.cidr);
}

/** How smartcash.conf is audited under this config: SmartNode rules, the SAPI port, the ports the host ruleset opens. */
export function auditOptions(config: Config | null): AuditOptions {
  if (config === null) return {};
  const coin = findCoin(config.coin);
  const open = new Set<number>();
  for (const d of hostPolicy(config).rules) {
    if (d.rule.protocol !== "tcp") continue;
    const [lo = "0", hi = lo] = d.rule.port.split(":");
    for (let p = Number(lo); p <= Number(hi); p += 1) open.add(p);
  }
  return { smartnode: config.coin.startsWith("smartcash"), sapiPort: coin?.sapi?.port ?? 8080, openTcpPorts: [...open] };
}

/** `host plan`: the ruleset and its diff against what is loaded; exit 0 none, 2 changes. */
export async function hostPlan(ctx: HostContext): Promise<ExitCode> {
  const { io, config } = ctx;
  const ruleset = rulesetFor(config);
  const loaded = await readTable(runnerFor(io));
  const diff = diffLines(loaded.exists ? loaded.listing : "", ruleset.table);
  const pending = await readPending(expandHome(config.lockdown.stateDir)).catch(() => null);
  if (ctx.json) {
    io.json({ loaded: loaded.exists, changes: diff.changed, ruleset: ruleset.file, diff: diff.lines, accepts: ruleset.summary, pendingUntil: pending?.deadline ?? null });
    return diff.changed ? EXIT.changes : EXIT.ok;
  }
  const s = io.style;
  io.out(s.bold("Host ruleset (table inet nodeward; nothing else is touched):"));
  io.out(ruleset.file.trimEnd());
  io.out("");
  if (!loaded.exists) io.out(s.yellow("Not loaded yet: `nodeward host apply` would create table inet nodeward."));
  else if (!diff.changed) io.out(s.green("Loaded and identical: nothing to change."));
  else {
    io.out(s.bold("Diff against what is loaded (- loaded, + wanted):"));
    for (const l of diff.lines) io.out(l.startsWith("+") ? s.green(l) : l.startsWith("-") ? s.red(l) : s.dim(l));
  }
  if (pending !== null) io.out(s.yellow(`An apply is waiting for \`nodeward host confirm\` until ${pending.deadline}; otherwise it rolls back.`));
  io.out(s.dim(`SSH setting on apply: ${config.lockdown.ssh}. Daemon config check: nodeward host audit-conf`));
  return diff.changed || !loaded.exists ? EXIT.changes : EXIT.ok;
}

export interface HostApplyOptions {
  ssh?: string;
  rollbackSeconds?: string;
  force: boolean;
}

export async function hostApply(ctx: HostContext, o: HostApplyOptions): Promise<ExitCode> {
  const { io, config } = ctx;
  const lockdown = config.lockdown;
  const sshMode = parseSshMode(o.ssh ?? lockdown.ssh);
  const rollbackSeconds = o.rollbackSeconds === undefined ? lockdown.rollbackSeconds : Number(o.rollbackSeconds);
  if (!Number.isInteger(rollbackSeconds) || rollbackSeconds < 1 || rollbackSeconds > 3600) {
    throw new AppError("USAGE", `--rollback-seconds must be a whole number of seconds, 1–3600, got ${o.rollbackSeconds}`);
  }
  const policy = hostPolicy(config);
  const ruleset = hostRuleset(policy, { origin: `nodeward host firewall for coin ${config.coin}` });
  const deps = depsFor(io, lockdown);
  if (sshMode === "unchanged" && (await readPending(deps.stateDir)) === null) {
    const loaded = await readTable(deps.runner);
    if (loaded.exists && !diffLines(loaded.listing, ruleset.table).changed) {
      if (ctx.json) io.json({ applied: false, reason: "the loaded table already matches the policy" });
      else io.out("table inet nodeward is loaded and matches the policy: nothing to change, no timer started.");
      return EXIT.ok;
    }
  }
  const session = await detectSession(io.env);
  const result = await applyHost(
    {
      ruleset, policy, session, sshPort: lockdown.sshPort, rollbackSeconds, force: o.force,
      ssh: sshMode === "unchanged" ? null : {
        mode: sshMode, cidrs: sshCidrs(config), dropInPath: lockdown.sshdDropIn,
        deps: { runner: deps.runner, mainConfigPath: lockdown.sshdConfig },
      },
    },
    deps,
  );
  const secondsLeft = Math.max(0, Math.round((result.deadline.getTime() - Date.now()) / 1000));
  if (ctx.json) {
    io.json({ applied: true, deadline: result.deadline.toISOString(), rollbackSeconds, previousExisted: result.previousExisted, ssh: result.ssh?.mode ?? "unchanged", timer: result.timer, guard: result.guard, accepts: ruleset.summary });
    return EXIT.ok;
  }
  const s = io.style;
  io.out(s.green("Loaded table inet nodeward (one nft transaction; other tables untouched). It accepts:"));
  for (const l of ruleset.summary) io.out(`  ${l}`);
  io.out("  replies to connections this host opened, loopback, ICMP errors and IPv6 neighbour discovery; everything else is dropped.");
  io.out(`Lock-out check: ${result.guard}`);
  if (result.ssh?.mode === "off") io.out("SSH: sshd stopped (running sessions stay); it is disabled for good only when you confirm.");
  if (result.ssh?.mode === "admin-only") io.out(`SSH: ${lockdown.sshdDropIn} installed (keys only, no root password, only from ${sshCidrs(config).join(", ")}) after sshd -t accepted it.`);
  const undo = [result.previousExisted ? "the nodeward table loaded before comes back" : "table inet nodeward is removed again (there was none before)"];
  if (result.ssh !== null) undo.push("SSH is put back as it was");
  io.out("");
  io.out(s.bold(s.yellow(`ROLLBACK PENDING: unless you confirm by ${result.deadline.toISOString()} (in ${secondsLeft} s), ${undo.join(" and ")}, by itself.`)));
  if (result.replacedPending) io.out(s.yellow("An earlier apply was still pending: rollback returns to the state before that one."));
  io.out("  First check from a NEW terminal that you can still get in (and `nodeward verify` from outside), then:");
  io.out(`    nodeward host confirm      keep it, and make it survive a reboot (${lockdown.persistPath})`);
  io.out("    nodeward host rollback     restore the previous ruleset now");
  io.out(s.dim(`  Timer: ${result.timer?.kind === "systemd" ? `systemd unit ${result.timer.unit}.timer` : `detached process ${result.timer?.pid ?? "?"}`}; state in ${expandHome(lockdown.stateDir)}`));
  return EXIT.ok;
}

export async function hostConfirm(ctx: HostContext): Promise<ExitCode> {
  const { io, config } = ctx;
  const deps = depsFor(io, config.lockdown);
  const r = await confirmHost(deps, {
    persistPath: config.lockdown.persistPath,
    systemdDropIn: config.lockdown.systemdDropIn,
    nftPath: "/usr/sbin/nft",
    systemd: deps.runner.prefix.length === 0 && systemdBooted(),
  });
  if (ctx.json) {
    io.json(r);
    return r.status === "confirmed" ? EXIT.ok : EXIT.error;
  }
  if (r.status === "nothing-pending") {
    io.err("Nothing to confirm: no apply is pending (it was confirmed or rolled back already). See `nodeward host plan`.");
    return EXIT.error;
  }
  if (r.status === "too-late") {
    io.err(io.errStyle.red(`Too late: the rollback deadline had passed, so the previous ruleset was restored (${r.rollback.status}). Run \`nodeward host apply\` again.`));
    return EXIT.error;
  }
  io.out(io.style.green("Confirmed: the rollback timer is cancelled."));
  io.out(`Persisted for reboots: ${r.persisted.join(", ")}`);
  for (const p of r.problems) io.err(`${io.errStyle.yellow("warning:")} ${p}`);
  return EXIT.ok;
}

export interface RollbackOptions {
  stateDir: string;
  json: boolean;
  at?: string;
  ifUnconfirmed?: string;
}

/** `host rollback`: at once, or — as the detached timer — at `at` if `ifUnconfirmed` is still pending. */
export async function hostRollback(io: Io, o: RollbackOptions): Promise<ExitCode> {
  const deps = depsFor(io, { stateDir: o.stateDir });
  if (o.at !== undefined) {
    const at = Number(o.at);
    if (!Number.isFinite(at)) throw new AppError("USAGE", `--at must be a time in milliseconds since 1970, got ${o.at}`);
    await sleepUntil(at);
  }
  const r = await rollbackHost(deps, { ...(o.ifUnconfirmed === undefined ? {} : { token: o.ifUnconfirmed }), fromTimer: o.at !== undefined });
  const stamp = new Date().toISOString();
  if (o.json) io.json(r);
  else if (r.status === "nothing-pending") io.out(`${stamp} nothing to roll back${o.ifUnconfirmed === undefined ? "" : " (that apply was confirmed, rolled back or replaced)"}`);
  else if (r.status === "rolled-back") {
    io.out(`${stamp} rolled back: ${r.previousExisted ? "the previous nodeward table is loaded again" : "table inet nodeward removed (there was none before)"}`);
    for (const p of r.problems) io.err(`warning: ${p}`);
  } else io.err(`${stamp} ROLLBACK FAILED, the new ruleset is still loaded: ${r.message}`);
  return r.status === "failed" ? EXIT.error : EXIT.ok;
}

async function sleepUntil(at: number): Promise<void> {
  // In slices: a suspended machine wakes up and still rolls back on time.
  for (let i = 0; i < 100_000 && Date.now() < at; i += 1) {
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, at - Date.now()))));
  }
}

export async function hostAuditConf(io: Io, config: Config | null, path: string | undefined, json: boolean): Promise<ExitCode> {
  const file = expandHome(path ?? config?.lockdown.daemonConf ?? "~/.smartcash/smartcash.conf");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new AppError("USAGE", `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      hint: "pass the path (nodeward host audit-conf /home/smartcash/.smartcash/smartcash.conf) or set lockdown.daemonConf",
    });
  }
  const findings = auditDaemonConf(text, auditOptions(config));
  if (json) io.json({ file, findings });
  else io.out(renderConfFindings(file, findings).join("\n"));
  return findings.length === 0 ? EXIT.ok : EXIT.changes;
}

export async function hostStatusCommand(ctx: HostContext): Promise<ExitCode> {
  const { io, config } = ctx;
  const st = await hostStatus({
    runner: runnerFor(io), ruleset: rulesetFor(config), sshdDropIn: config.lockdown.sshdDropIn,
    daemonConf: expandHome(config.lockdown.daemonConf), audit: auditOptions(config),
  });
  if (ctx.json) io.json(st);
  else {
    io.out(`ruleset loaded: ${st.rulesetLoaded ? "yes" : "no"}; matches the policy: ${st.matchesPolicy ? "yes" : "no"}`);
    io.out(`ssh: ${st.ssh}`);
    io.out(st.confError ?? `daemon config: ${st.confFindings.length} finding(s)`);
  }
  return st.matchesPolicy && st.confFindings.length === 0 && st.confError === undefined ? EXIT.ok : EXIT.changes;
}

export function cloudInitCommand(ctx: HostContext, sshOverride: string | undefined): ExitCode {
  const { io, config } = ctx;
  const l = config.lockdown;
  io.out(cloudInit({
    ruleset: rulesetFor(config), ssh: parseSshMode(sshOverride ?? l.ssh), sshCidrs: sshCidrs(config),
    persistPath: l.persistPath, systemdDropIn: l.systemdDropIn, sshdDropIn: l.sshdDropIn,
  }).trimEnd());
  return EXIT.ok;
}

function parseSshMode(text: string): SshMode {
  if (text === "unchanged" || text === "off" || text === "admin-only") return text;
  throw new AppError("USAGE", `--ssh must be off, admin-only or unchanged, got ${JSON.stringify(text)}`);
}
