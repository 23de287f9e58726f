import type { AuditContext } from "../context.ts";
import type { AuditCheck } from "../model.ts";
import { account2fa } from "./account-2fa.ts";
import { accountApiKey } from "./account-api-key.ts";
import { dashboard2fa, dashboardBackupCodes } from "./dashboard-checks.ts";
import { firewallAttached } from "./firewall-attached.ts";
import { firewallGroup } from "./firewall-group.ts";
import { firewallIpv6 } from "./firewall-ipv6.ts";
import { firewallRules } from "./firewall-rules.ts";
import { firewallSsh } from "./firewall-ssh.ts";
import { hostFirewall, hostRpc, hostSsh } from "./host-checks.ts";
import { networkViewCheck } from "./network-view.ts";
import { outsideFiltered } from "./outside-filtered.ts";
import { outsideHandshake } from "./outside-handshake.ts";
import { outsidePorts } from "./outside-ports.ts";
import { outsideSapi } from "./outside-sapi.ts";
import { rewardClockCheck } from "./reward-clock.ts";
import { walletBackup, walletEncrypted, walletPermissions } from "./wallet-checks.ts";

/** The registry: the only place audit checks are listed, in the guide's order. */
export const auditChecks: readonly AuditCheck<AuditContext>[] = [
  firewallGroup,
  firewallRules,
  firewallSsh,
  firewallAttached,
  firewallIpv6,
  outsidePorts,
  outsideFiltered,
  outsideHandshake,
  outsideSapi,
  rewardClockCheck,
  networkViewCheck,
  hostFirewall,
  hostSsh,
  hostRpc,
  walletEncrypted,
  walletPermissions,
  walletBackup,
  account2fa,
  accountApiKey,
  dashboard2fa,
  dashboardBackupCodes,
];
