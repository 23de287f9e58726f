/**
 * The audit's vocabulary. Every step of the hardening guide is a group of checks; every check
 * returns one result per node (or one for the whole fleet) with the evidence it saw and, unless it
 * passed, one line saying what to do.
 */

export const CHECK_STATUSES = ["pass", "fail", "attention", "cannot-check"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** The guide's steps, in the guide's order. */
export const STEPS = [
  { id: "cloud-firewall", title: "Cloud firewall", guide: 'Create the group "SmartNodes Only", accept only the coin\'s ports, no SSH rule, attach every node; IPv6 covered where a node has it.' },
  { id: "outside", title: "Seen from outside", guide: '"The server will only receive traffic on 9678": only the coin\'s ports answer on every address, the rest is filtered, the node speaks its protocol.' },
  { id: "reward-clock", title: "Reward clock", guide: '"Offline for an hour and you lose your place in the queue": the watch daemon\'s last good probe and the minutes left before EXPIRED.' },
  { id: "network-view", title: "The network's view", guide: "What pays is what the network thinks: other peers list each SmartNode ENABLED, with a ping younger than 65 minutes, at the address it should have." },
  { id: "host", title: "Host lock-down", guide: "On the node: the host firewall loaded, SSH off or admin-only, RPC bound to localhost." },
  { id: "wallet", title: "Wallet", guide: "Keep wallet.dat encrypted, readable only by its owner, and backed up (a recent backup that restores)." },
  { id: "account", title: "Vultr account", guide: "Two-factor authentication on the Vultr account; an API key limited to what nodeward needs." },
  { id: "dashboard", title: "nodeward dashboard", guide: "Every dashboard user has two-factor enrolled and backup codes left." },
] as const;
export type StepId = (typeof STEPS)[number]["id"];

/** What one check says about one node (node absent: about the fleet or the account). */
export interface CheckOutcome {
  node?: string;
  status: CheckStatus;
  /** What was seen, in plain words. Never a secret. */
  evidence: string;
  /** One line: what to do. Absent when the check passed. */
  fix?: string;
}

export interface CheckResult extends CheckOutcome {
  id: string;
  step: StepId;
  title: string;
}

/** A check module; the registry (checks/index.ts) lists them all. */
export interface AuditCheck<Ctx> {
  id: string;
  step: StepId;
  title: string;
  /** What passing means, for docs/audit.md and --help. */
  passes: string;
  run(ctx: Ctx): Promise<readonly CheckOutcome[]>;
}

/** The worst of several statuses: fail, then cannot-check, then attention, then pass. Nothing seen is "cannot-check". */
export function worstStatus(statuses: readonly CheckStatus[]): CheckStatus {
  const order: readonly CheckStatus[] = ["fail", "cannot-check", "attention", "pass"];
  for (const s of order) if (statuses.includes(s)) return s;
  return "cannot-check";
}
