/**
 * The watch daemon's vocabulary. A node's health follows a pure state machine (state.ts);
 * probes, incidents and node states are persisted through the ports in ports.ts.
 */

export type NodeHealth = "unknown" | "up" | "suspect" | "down" | "recovering";

/** One probe of one node: the three layers folded into a verdict, with the evidence kept. */
export interface ProbeRecord {
  nodeId: string;
  /** ms since the epoch. */
  at: number;
  ok: boolean;
  /** Why not ok ("p2p timeout", "sapi refused", "tcp 9678 refused"); null when ok. */
  cause: string | null;
  latencyMs: number | null;
  height: number | null;
  protocolVersion: number | null;
}

export interface OpenIncident {
  id: string;
  startedAt: number;
  cause: string;
  /** Escalations already raised, in minutes down (20, 40). */
  escalated: readonly number[];
}

/** Everything the state machine needs to continue after a restart. */
export interface NodeWatchState {
  nodeId: string;
  health: NodeHealth;
  degraded: string | null;
  /** Consecutive failed probes (suspect/down) or successes (recovering). */
  failures: number;
  successes: number;
  lastGoodAt: number | null;
  lastProbeAt: number | null;
  /** When the current run of failures began (suspect/down); null while healthy. */
  failingSince: number | null;
  incident: OpenIncident | null;
}

export type IncidentEventKind = "down" | "escalation" | "recovered" | "remediation" | "remediation-skipped" | "alert-sent" | "alert-failed" | "degraded";

export interface IncidentEvent {
  at: number;
  kind: IncidentEventKind;
  detail: string;
}

export interface Incident {
  id: string;
  nodeId: string;
  startedAt: number;
  /** The last good probe before the incident: the reward clock (EXPIRED at +65 min) runs from here. */
  lastGoodAt: number | null;
  endedAt: number | null;
  cause: string;
  timeline: readonly IncidentEvent[];
}
