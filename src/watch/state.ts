import type { NodeWatchState, ProbeRecord } from "./model.ts";

/**
 * The pure state machine of one node: up → suspect → down → recovering → up, with N consecutive
 * failures to go down and M successes to come back (hysteresis), a "degraded" flag for nodes that
 * answer but lag the fleet or run an old protocol, and time-based escalations while down.
 */

export interface WatchThresholds {
  /** Consecutive failed probes before "down" (default 3). */
  failuresToDown: number;
  /** Consecutive good probes before "up" again (default 2). */
  successesToUp: number;
  /** Minutes down at which an escalation is raised (default [20, 40]). */
  escalateAfterMinutes: readonly number[];
  /** Blocks behind the fleet median that make a node degraded (default 10). */
  maxHeightLag: number;
  /** The network's minimum protocol version (SmartCash 90034). */
  minProtocolVersion?: number;
}

export type StateEvent =
  | { kind: "down"; at: number; incidentId: string; cause: string; since: number; lastGoodAt: number | null }
  | { kind: "escalation"; at: number; incidentId: string; minutesDown: number; cause: string; since: number; lastGoodAt: number | null }
  | { kind: "recovered"; at: number; incidentId: string; since: number; downForMs: number }
  | { kind: "degraded"; at: number; reason: string }
  | { kind: "degraded-cleared"; at: number };

export interface Step {
  state: NodeWatchState;
  events: StateEvent[];
}

export function initialState(nodeId: string): NodeWatchState {
  return { nodeId, health: "unknown", degraded: null, failures: 0, successes: 0, lastGoodAt: null, lastProbeAt: null, failingSince: null, incident: null };
}

/** Folds one probe into the node's state. `fleetHeight` is the median height of the fleet's good probes. */
export function observe(s: NodeWatchState, p: ProbeRecord, t: WatchThresholds, fleetHeight?: number): Step {
  const events: StateEvent[] = [];
  const next: NodeWatchState = { ...s, lastProbeAt: p.at };
  if (p.ok) {
    next.lastGoodAt = p.at;
    next.failures = 0;
    next.failingSince = null;
    const degraded = degradation(p, t, fleetHeight);
    if (degraded !== next.degraded) {
      events.push(degraded === null ? { kind: "degraded-cleared", at: p.at } : { kind: "degraded", at: p.at, reason: degraded });
      next.degraded = degraded;
    }
    if (s.health === "down" || s.health === "recovering") {
      next.successes = s.successes + 1;
      next.health = next.successes >= t.successesToUp ? "up" : "recovering";
      if (next.health === "up" && s.incident !== null) {
        events.push({ kind: "recovered", at: p.at, incidentId: s.incident.id, since: s.incident.startedAt, downForMs: p.at - s.incident.startedAt });
        next.incident = null;
        next.successes = 0;
      }
    } else {
      next.health = "up";
      next.successes = 0;
    }
    return { state: next, events };
  }

  const cause = p.cause ?? "probe failed";
  next.successes = 0;
  if (s.health === "down" || s.health === "recovering") {
    next.health = "down";
    next.failures = s.failures + 1;
    return { state: next, events };
  }
  next.failures = s.failures + 1;
  next.failingSince = s.failingSince ?? p.at;
  if (next.failures < t.failuresToDown) {
    next.health = "suspect";
    return { state: next, events };
  }
  // Down: the incident starts at the first failure of the run, the reward clock at the last good probe.
  const since = next.failingSince;
  const incidentId = `${s.nodeId}@${since}`;
  next.health = "down";
  next.incident = { id: incidentId, startedAt: since, cause, escalated: [] };
  events.push({ kind: "down", at: p.at, incidentId, cause, since, lastGoodAt: s.lastGoodAt });
  return { state: next, events };
}

/** Raises the escalations that are due while a node is down (idempotent: each mark once per incident). */
export function tick(s: NodeWatchState, now: number, t: WatchThresholds): Step {
  const inc = s.incident;
  if (inc === null || (s.health !== "down" && s.health !== "recovering")) return { state: s, events: [] };
  const minutesDown = (now - inc.startedAt) / 60_000;
  const due = t.escalateAfterMinutes.filter((m) => minutesDown >= m && !inc.escalated.includes(m));
  if (due.length === 0) return { state: s, events: [] };
  const events: StateEvent[] = due.map((m) => ({ kind: "escalation", at: now, incidentId: inc.id, minutesDown: m, cause: inc.cause, since: inc.startedAt, lastGoodAt: s.lastGoodAt }));
  return { state: { ...s, incident: { ...inc, escalated: [...inc.escalated, ...due] } }, events };
}

function degradation(p: ProbeRecord, t: WatchThresholds, fleetHeight: number | undefined): string | null {
  if (t.minProtocolVersion !== undefined && p.protocolVersion !== null && p.protocolVersion < t.minProtocolVersion) {
    return `protocol ${p.protocolVersion} is below the network minimum ${t.minProtocolVersion}`;
  }
  if (fleetHeight !== undefined && p.height !== null && fleetHeight - p.height > t.maxHeightLag) {
    return `height ${p.height} is ${fleetHeight - p.height} blocks behind the fleet (${fleetHeight})`;
  }
  return null;
}
