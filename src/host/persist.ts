import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { CommandRunner } from "./runner.ts";
import { writeAtomic } from "./state.ts";

/**
 * After confirm only: the ruleset file plus an nftables.service drop-in that loads it after
 * /etc/nftables.conf (which on Debian starts with `flush ruleset`), at boot and on reload.
 */

export interface PersistTargets {
  persistPath: string;
  systemdDropIn: string;
  /** Absolute path of nft for the unit (systemd wants one). */
  nftPath: string;
  /** Run `systemctl daemon-reload` and `enable nftables.service` (false when systemd does not run this machine). */
  systemd: boolean;
}

export function dropInText(persistPath: string, nftPath: string): string {
  return [
    "# nodeward: load the host firewall table after /etc/nftables.conf (written by `nodeward host confirm`)",
    "[Service]",
    `ExecStartPost=${nftPath} -f ${persistPath}`,
    `ExecReload=${nftPath} -f ${persistPath}`,
    "",
  ].join("\n");
}

export async function persistRuleset(runner: CommandRunner, rulesetFile: string, t: PersistTargets): Promise<{ written: string[]; problems: string[] }> {
  const problems: string[] = [];
  await mkdir(dirname(t.persistPath), { recursive: true });
  await writeAtomic(t.persistPath, rulesetFile, 0o644);
  await mkdir(dirname(t.systemdDropIn), { recursive: true });
  await writeAtomic(t.systemdDropIn, dropInText(t.persistPath, t.nftPath), 0o644);
  if (t.systemd) {
    for (const args of [["daemon-reload"], ["enable", "nftables.service"]]) {
      const r = await runner.run("systemctl", args);
      if (r.code !== 0) problems.push(`systemctl ${args.join(" ")}: ${r.stderr.trim() || `exit ${String(r.code)}`}`);
    }
  } else {
    problems.push(`systemd does not run this machine: make your init load ${t.persistPath} at boot (nft -f ${t.persistPath})`);
  }
  return { written: [t.persistPath, t.systemdDropIn], problems };
}
