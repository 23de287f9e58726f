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
    case "test":
      return `test:${e.channel}:${e.at}`;
    case "backup-code-used":
      return `auth:backup-code-used:${e.user}:${e.at}`;
  }
}
