import type { AlertEvent, NodeRef, RewardClock } from "../../alerts/event.ts";
import type { VantageRecord } from "../../fleet/ports.ts";
import type { NetviewRecord } from "../../netview/ports.ts";
import type { IncidentEvent, IncidentEventKind, NodeWatchState, ProbeRecord } from "../../watch/model.ts";

/** Records the contract suites store: small, realistic, every field set. */

export const T0 = Date.UTC(2026, 0, 5, 10); // on an hour boundary
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export function probe(nodeId: string, at: number, over: Partial<ProbeRecord> = {}): ProbeRecord {
  const ok = over.ok ?? true;
  return {
    nodeId,
    at,
    ok,
    cause: ok ? null : "p2p timeout",
    latencyMs: ok ? 40 : null,
    height: ok ? 2_950_000 : null,
    protocolVersion: ok ? 90034 : null,
    ...over,
  };
}

/** One probe a minute over [from, from + minutes·1 min), ok unless `down(i)` says otherwise. */
export function minutes(nodeId: string, from: number, count: number, down: (i: number) => boolean = () => false): ProbeRecord[] {
  return Array.from({ length: count }, (_, i) => probe(nodeId, from + i * MINUTE, { ok: !down(i) }));
}

export function event(at: number, kind: IncidentEventKind, detail = `${kind} at ${at}`): IncidentEvent {
  return { at, kind, detail };
}

export function nodeState(nodeId: string, over: Partial<NodeWatchState> = {}): NodeWatchState {
  return {
    nodeId,
    health: "down",
    degraded: "12 blocks behind",
    failures: 4,
    successes: 0,
    lastGoodAt: T0 - 5 * MINUTE,
    lastProbeAt: T0,
    failingSince: T0 - 4 * MINUTE,
    incident: { id: `inc-${nodeId}`, startedAt: T0 - 2 * MINUTE, cause: "tcp 9678 refused", escalated: [20, 40] },
    ...over,
  };
}

const node: NodeRef = { id: "vultr-1f0c", name: "smart-01", address: "203.0.113.7" };
const clock: RewardClock = { lastGoodAt: T0 - 5 * MINUTE, expiresAt: T0 + 60 * MINUTE, newStartAt: T0 + 115 * MINUTE };

/** One event of every alert kind. */
export const ALERT_EVENTS: readonly AlertEvent[] = [
  { kind: "down", at: T0, node, incidentId: "inc-1", since: T0 - 2 * MINUTE, cause: "tcp 9678 refused", clock },
  { kind: "escalation", at: T0 + 20 * MINUTE, node, incidentId: "inc-1", since: T0, minutesDown: 20, cause: "p2p timeout", clock },
  { kind: "recovered", at: T0 + 30 * MINUTE, node, incidentId: "inc-1", since: T0, downForMs: 30 * MINUTE },
  { kind: "remediation", at: T0 + 25 * MINUTE, node, incidentId: "inc-1", action: "reboot", outcome: "requested", detail: "Vultr reboot accepted", clock },
  { kind: "firewall-blocks", at: T0, node, incidentId: "inc-1", detail: "9678/tcp dropped by group SmartNodes Only", clock },
  { kind: "degraded", at: T0, node, reason: "protocol 90026 < 90034" },
  { kind: "watcher-offline", at: T0, detail: "no probe cycle for 5 min" },
  { kind: "watcher-fault", at: T0, fault: "storage", detail: "database or disk is full" },
  { kind: "watcher-fault-cleared", at: T0 + 60_000, fault: "storage", since: T0, detail: "writes resumed" },
  { kind: "watcher-online", at: T0 + HOUR, offlineForMs: HOUR },
  { kind: "vantage-lost", at: T0 + 180_000, vantage: "sgp-1", region: "Singapore", lastSeenAt: T0, detail: "no heartbeat for 3 min" },
  { kind: "vantage-back", at: T0 + HOUR, vantage: "sgp-1", region: "Singapore", lastSeenAt: T0, lostForMs: HOUR - 180_000 },
  { kind: "network-expired", at: T0, node, alias: "mn1", outpoint: `${"4e2a".repeat(16)}-1`, state: "EXPIRED", lastPingAt: T0 - 70 * MINUTE, minutesToExpired: 0, since: T0 - 5 * MINUTE, detail: "peers disagree: 198.51.100.7:9678 ENABLED" },
  { kind: "network-new-start-required", at: T0, node, alias: "mn1", outpoint: `${"4e2a".repeat(16)}-1`, state: "NEW_START_REQUIRED", lastPingAt: null, minutesToExpired: null, since: T0, detail: "" },
  { kind: "unseen-by-network", at: T0, node, alias: "mn1", outpoint: `${"4e2a".repeat(16)}-1`, state: "UNLISTED", lastPingAt: null, minutesToExpired: null, since: T0, detail: "" },
  { kind: "network-ok", at: T0 + HOUR, node, alias: "mn1", outpoint: `${"4e2a".repeat(16)}-1`, state: "PRE_ENABLED", lastPingAt: T0 + HOUR - MINUTE, minutesToExpired: 64, since: T0, cleared: "unseen-by-network", detail: "" },
  { kind: "test", at: T0, channel: "ops-mail" },
];

export function alertEvent(incidentId: string, at = T0): AlertEvent {
  return { kind: "down", at, node, incidentId, since: at - 2 * MINUTE, cause: "tcp 9678 refused", clock };
}

/**
 * Names an operator (or whoever labels a node) can give a vantage, a node, a lease holder: quotes
 * and SQL, line breaks, other scripts, wildcards, 10 KB. Every store keeps them as they came. No
 * NUL: PostgreSQL's text cannot hold it, and the watcher never writes one.
 */
export const HOSTILE_NAMES: readonly string[] = [
  `O'Brien "fra-1"; DROP TABLE probes; --`,
  "fra-1\r\nX-Injected: yes\r\n\r\n<b>body</b>",
  "франкфурт-1",
  "東京-1 عقدة צומת",
  "🚀vantage-🔥",
  "%_\\*?[a-z]",
  "v".repeat(10_240),
  // An odd start, so a cut at an even offset would split an emoji's surrogate pair.
  `x${"🚀".repeat(5_120)}`,
];

/** A healthy vantage's heartbeat, seen a minute after it started. */
export function vantage(name: string, over: Partial<VantageRecord> = {}): VantageRecord {
  return { name, region: "Frankfurt, Hetzner", holder: `${name}/4f0c9a`, startedAt: T0, seenAt: T0 + MINUTE, healthy: true, detail: null, ...over };
}

/** A node's network view: listed and ENABLED by the peers asked, the verdict's JSON in `detail`. */
export function netviewRecord(nodeId: string, over: Partial<NetviewRecord> = {}): NetviewRecord {
  const lastPingAt = T0 - 7 * MINUTE;
  return {
    nodeId,
    outpoint: `${"4f".repeat(32)}-1`,
    state: "ENABLED",
    lastPingAt,
    minutesToExpired: 58,
    askedAt: T0,
    condition: "ok",
    conditionSince: T0 - HOUR,
    detail: JSON.stringify({
      peers: ["198.51.100.4:9678", "198.51.100.9:9678", "203.0.113.40:9678"].map((peer) => ({ peer, answer: { kind: "listed" }, state: "ENABLED", lastPingAt })),
      problems: [],
      announced: { addr: "203.0.113.7:9678", protocolVersion: 90034, at: T0 - 30 * HOUR },
    }),
    ...over,
  };
}
