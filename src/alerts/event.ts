import type { VerdictState } from "../netview/model.ts";

/**
 * What alerts are about. Every event names the node, says since when, the minutes left before
 * the coin's EXPIRED mark, and what to do (render.ts turns it into text per channel).
 */

export interface NodeRef {
  id: string;
  name: string;
  address: string;
}

/** The reward clock of a node that is down: all in ms since the epoch, null when unknown. */
export interface RewardClock {
  lastGoodAt: number | null;
  /** lastGoodAt + 65 min (SmartCash: EXPIRED, unpaid). */
  expiresAt: number | null;
  /** lastGoodAt + 120 min (SmartCash: NEW_START_REQUIRED, a whole payment cycle lost). */
  newStartAt: number | null;
}

/**
 * What went wrong with the watcher itself (not with a node): its storage failing, its database
 * found corrupt or deleted, the provider's API unreachable, or the system clock stepped.
 */
export const WATCHER_FAULTS = ["storage", "database-corrupt", "database-deleted", "inventory", "clock-jump", "stalled", "no-leader"] as const;
export type WatcherFault = (typeof WATCHER_FAULTS)[number];

/**
 * What the network itself says of a node (netview/): its state on the peers asked, the ping the
 * verdict rests on, and since when the condition holds. `since` is the network's own moment where
 * the verdict carries it (the last ping + the mark it passed), so two watchers that both see the
 * change derive the same dedupe key.
 */
export interface NetworkFacts {
  at: number;
  node: NodeRef;
  /** The node's alias in smartnode.conf: what `smartnode start-alias` takes. */
  alias: string;
  /** "txid-index". */
  outpoint: string;
  /** The verdict's state: a Core-Smart state, or UNLISTED (no peer that answered lists it). */
  state: VerdictState;
  lastPingAt: number | null;
  /** Minutes before the network marks the node EXPIRED, as the network counts them (0 when past). */
  minutesToExpired: number | null;
  /** When the condition began (network-ok: when the condition it clears began). */
  since: number;
  /** Peers' disagreement and the problems found in what the network carries; "" when none. */
  detail: string;
}

export const NETWORK_ALERT_KINDS = ["network-expired", "network-new-start-required", "unseen-by-network"] as const;
export type NetworkAlertKind = (typeof NETWORK_ALERT_KINDS)[number];

export type AlertEvent =
  | { kind: "down"; at: number; node: NodeRef; incidentId: string; since: number; cause: string; clock: RewardClock }
  | { kind: "escalation"; at: number; node: NodeRef; incidentId: string; since: number; minutesDown: number; cause: string; clock: RewardClock }
  | { kind: "recovered"; at: number; node: NodeRef; incidentId: string; since: number; downForMs: number }
  | { kind: "remediation"; at: number; node: NodeRef; incidentId: string; action: "reboot" | "start"; outcome: "requested" | "failed"; detail: string; clock: RewardClock }
  | { kind: "firewall-blocks"; at: number; node: NodeRef; incidentId: string; detail: string; clock: RewardClock }
  | { kind: "degraded"; at: number; node: NodeRef; reason: string }
  | { kind: "watcher-offline"; at: number; detail: string }
  | { kind: "watcher-online"; at: number; offlineForMs: number }
  /** The watcher keeps watching, but something of its own failed (see WatcherFault). */
  | { kind: "watcher-fault"; at: number; fault: WatcherFault; detail: string }
  | { kind: "watcher-fault-cleared"; at: number; fault: WatcherFault; since: number; detail: string }
  /** A watcher of the fleet stopped reporting (or its own connectivity check fails): its vantage is not counted. */
  | { kind: "vantage-lost"; at: number; vantage: string; region: string; lastSeenAt: number; detail: string }
  | { kind: "vantage-back"; at: number; vantage: string; region: string; lastSeenAt: number; lostForMs: number }
  /** The network has the node EXPIRED (or UPDATE_REQUIRED): it is not paid. */
  | ({ kind: "network-expired" } & NetworkFacts)
  /** The network has it NEW_START_REQUIRED: only a start from the collateral wallet brings it back. */
  | ({ kind: "network-new-start-required" } & NetworkFacts)
  /** nodeward reaches the node, but no peer lists it or its last ping is stale: the silent failure. */
  | ({ kind: "unseen-by-network" } & NetworkFacts)
  /** Back to ENABLED / PRE_ENABLED with a fresh ping after one of the three above (`cleared`). */
  | ({ kind: "network-ok"; cleared: NetworkAlertKind } & NetworkFacts)
  | { kind: "test"; at: number; channel: string }
  /** Someone signed in to the dashboard with a backup code: expected only when a phone is lost. */
  | { kind: "backup-code-used"; at: number; user: string; remaining: number; ip: string | null };

export type AlertKind = AlertEvent["kind"];

/**
 * The dedupe key: the same (incident, event) is delivered once per channel, also after a crash
 * and restart. Escalations are keyed by their minute mark.
 */
export function dedupeKey(e: AlertEvent): string {
  switch (e.kind) {
    case "down":
    case "recovered":
    case "firewall-blocks":
      return `${e.incidentId}:${e.kind}`;
    case "escalation":
      return `${e.incidentId}:escalation:${e.minutesDown}`;
    case "remediation":
      return `${e.incidentId}:remediation:${e.at}`;
    case "degraded":
      return `${e.node.id}:degraded:${e.at}`;
    case "watcher-offline":
    case "watcher-online":
      return `watcher:${e.kind}:${e.at}`;
    case "watcher-fault":
    case "watcher-fault-cleared":
      return `watcher:${e.kind}:${e.fault}:${e.at}`;
    case "vantage-lost":
    case "vantage-back":
      // Keyed by the last heartbeat before the loss: a leader that takes over mid-loss finds the same key, not a new alert.
      return `vantage:${e.kind}:${e.vantage}:${e.lastSeenAt}`;
    case "network-expired":
    case "network-new-start-required":
    case "unseen-by-network":
    case "network-ok":
      // Keyed by the condition's start, not by when it was seen: a restart or a new leader finds the same key.
      return `${e.node.id}:network:${e.kind}:${e.since}`;
    case "test":
      return `test:${e.channel}:${e.at}`;
    case "backup-code-used":
      return `auth:backup-code-used:${e.user}:${e.at}`;
  }
}
