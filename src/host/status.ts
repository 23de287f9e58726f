import { readFile } from "node:fs/promises";
import { auditDaemonConf, type AuditOptions, type Finding } from "./conf-audit.ts";
import { diffLines } from "./diff.ts";
import { readTable } from "./nft.ts";
import type { HostRuleset } from "./ruleset.ts";
import type { CommandRunner } from "./runner.ts";

/**
 * One read-only look at the host for `nodeward audit`: is nodeward's table loaded, does it match
 * the policy, what SSH looks like, and the daemon config's findings. Never changes anything.
 */

export type SshState = "off" | "admin-only" | "open" | "unknown";

export interface HostStatusOptions {
  runner: CommandRunner;
  /** The ruleset the policy wants (hostRuleset(desiredPolicy(...))). */
  ruleset: HostRuleset;
  sshdDropIn: string;
  /** Path of smartcash.conf; null skips the audit. */
  daemonConf: string | null;
  audit?: AuditOptions;
}

export interface HostStatus {
  rulesetLoaded: boolean;
  matchesPolicy: boolean;
  ssh: SshState;
  /** [] also when the file is missing; see confError. */
  confFindings: Finding[];
  confError?: string;
}

export async function hostStatus(opts: HostStatusOptions): Promise<HostStatus> {
  const loaded = await readTable(opts.runner);
  const matchesPolicy = loaded.exists && !diffLines(loaded.listing, opts.ruleset.table).changed;
  const ssh = await sshState(opts.runner, opts.sshdDropIn);
  let confFindings: Finding[] = [];
  let confError: string | undefined;
  if (opts.daemonConf !== null) {
    try {
      confFindings = auditDaemonConf(await readFile(opts.daemonConf, "utf8"), opts.audit);
    } catch (e) {
      confError = `cannot read ${opts.daemonConf}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
  }
  return { rulesetLoaded: loaded.exists, matchesPolicy, ssh, confFindings, ...(confError === undefined ? {} : { confError }) };
}

export async function sshState(runner: CommandRunner, dropInPath: string): Promise<SshState> {
  // is-active: 0 when any listed unit is active, 3 when none is; anything else (no systemd, no bus) says nothing.
  const active = await runner.run("systemctl", ["is-active", "ssh.service", "ssh.socket"]);
  if (active.code === 3) return "off";
  if (active.code !== 0) return "unknown";
  const dropIn = await readFile(dropInPath, "utf8").catch(() => "");
  return dropIn.startsWith("# nodeward: ssh admin-only") ? "admin-only" : "open";
}
