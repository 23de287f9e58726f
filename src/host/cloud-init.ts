import { stringify } from "yaml";
import type { SshMode } from "./config.ts";
import { dropInText } from "./persist.ts";
import type { HostRuleset } from "./ruleset.ts";
import { sshdDropIn, SSH_UNITS } from "./ssh.ts";

/**
 * `nodeward cloud-init`: #cloud-config user-data for a new instance that starts hardened — the
 * same host ruleset written, loaded and persisted at first boot, and the SSH setting applied.
 * No rollback timer here: there is no session to lose, and the provider's console stays. Pure.
 */

export interface CloudInitInput {
  ruleset: HostRuleset;
  ssh: SshMode;
  /** firewall.adminAccess CIDRs for the SSH port (admin-only). */
  sshCidrs: readonly string[];
  persistPath: string;
  systemdDropIn: string;
  sshdDropIn: string;
}

export function cloudInit(input: CloudInitInput): string {
  const files: Record<string, string>[] = [
    { path: input.persistPath, permissions: "0644", owner: "root:root", content: input.ruleset.file },
    { path: input.systemdDropIn, permissions: "0644", owner: "root:root", content: dropInText(input.persistPath, "/usr/sbin/nft") },
  ];
  const runcmd: (string | string[])[] = [
    ["nft", "-f", input.persistPath],
    ["systemctl", "daemon-reload"],
    ["systemctl", "enable", "nftables.service"],
  ];
  if (input.ssh === "admin-only") {
    files.push({ path: input.sshdDropIn, permissions: "0644", owner: "root:root", content: sshdDropIn(input.sshCidrs) });
    // A drop-in sshd would refuse is removed again rather than leave sshd unable to start.
    runcmd.push(["sh", "-c", `mkdir -p /run/sshd; if sshd -t; then systemctl reload ssh.service; else rm -f ${input.sshdDropIn}; echo 'nodeward: sshd rejected the admin-only drop-in; removed' >&2; fi`]);
  } else if (input.ssh === "off") {
    runcmd.push(["systemctl", "disable", "--now", ...SSH_UNITS]);
  }
  const doc = { package_update: true, packages: ["nftables"], write_files: files, runcmd };
  const head = [
    "#cloud-config",
    "# nodeward: host firewall (table inet nodeward) and SSH setting applied at first boot.",
    `# Accepts: ${input.ruleset.summary.join("; ") || "nothing but replies, loopback and ICMP errors"}`,
    `# SSH: ${input.ssh}`,
  ].join("\n");
  return `${head}\n${stringify(doc, { lineWidth: 0 })}`;
}
