import { z } from "zod";
import { portNumberSchema } from "../config/port-spec.ts";

/**
 * `lockdown:` in nodeward.yaml — the on-node host firewall and sshd lock-down (`nodeward host …`,
 * `nodeward cloud-init`). The ruleset itself comes from the same policy as the cloud firewall
 * (coin, extraPorts, firewall.adminAccess, firewall.icmp); these keys only say how it is applied.
 */

const path = z.string().trim().min(1);

export const SSH_MODES = ["unchanged", "off", "admin-only"] as const;
export type SshMode = (typeof SSH_MODES)[number];

export const lockdownSchema = z
  .strictObject({
    ssh: z
      .enum(SSH_MODES)
      .default("unchanged")
      .describe('What `host apply` does to sshd: "unchanged", "off" (stop, and after confirm disable, sshd — the guide: console only) or "admin-only" (keys only, no root password, only from firewall.adminAccess).'),
    sshPort: portNumberSchema.default(22).describe("The port sshd listens on; admin-only allows it from firewall.adminAccess only."),
    rollbackSeconds: z
      .number()
      .int()
      .min(2)
      .max(3600)
      .default(120)
      .describe("After `host apply`, the previous ruleset (and SSH setting) comes back after this many seconds unless `host confirm` runs."),
    stateDir: path.default("/var/lib/nodeward").describe("Where `host apply` keeps the saved ruleset, the pending-confirmation token and its deadline."),
    persistPath: path
      .default("/etc/nftables.d/nodeward.nft")
      .describe("File the confirmed ruleset is written to so it survives a reboot."),
    systemdDropIn: path
      .default("/etc/systemd/system/nftables.service.d/nodeward.conf")
      .describe("nftables.service drop-in written on confirm; it loads persistPath after /etc/nftables.conf at boot."),
    sshdDropIn: path
      .default("/etc/ssh/sshd_config.d/00-nodeward.conf")
      .describe("sshd_config.d drop-in for ssh: admin-only. sshd keeps the first value it reads, so the name sorts first."),
    sshdConfig: path.default("/etc/ssh/sshd_config").describe("sshd's main config; the admin-only drop-in is checked with `sshd -t` together with it before it is installed."),
    daemonConf: path.default("~/.smartcash/smartcash.conf").describe("The coin daemon's config file that `host audit-conf` checks (~ expands to your home)."),
  })
  .describe("Host lock-down on the node itself: nftables ruleset with automatic rollback, sshd, daemon config audit.");

export type LockdownConfig = z.infer<typeof lockdownSchema>;
