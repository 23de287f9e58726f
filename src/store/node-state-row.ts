import type { NodeWatchState } from "../watch/model.ts";
import { StoreError } from "./errors.ts";
import { decodeEscalated, encodeEscalated, isNodeHealth } from "./node-state-record.ts";

/**
 * A node's watch state as a row of `node_states`, the same table in SQLite and PostgreSQL: the
 * open incident as four columns, its escalations as "20,40" in one text column.
 */
export interface StateRow {
  node_id: string;
  health: string;
  degraded: string | null;
  failures: number;
  successes: number;
  last_good_at: number | null;
  last_probe_at: number | null;
  failing_since: number | null;
  incident_id: string | null;
  incident_started_at: number | null;
  incident_cause: string | null;
  incident_escalated: string | null;
}

export function toStateRow(s: NodeWatchState): StateRow {
  return {
    node_id: s.nodeId,
    health: s.health,
    degraded: s.degraded,
    failures: s.failures,
    successes: s.successes,
    last_good_at: s.lastGoodAt,
    last_probe_at: s.lastProbeAt,
    failing_since: s.failingSince,
    incident_id: s.incident?.id ?? null,
    incident_started_at: s.incident?.startedAt ?? null,
    incident_cause: s.incident?.cause ?? null,
    incident_escalated: s.incident === null ? null : encodeEscalated(s.incident.escalated),
  };
}

/** The CHECKs of the table guarantee most of this; what they cannot (the list's numbers) is checked here. */
export function fromStateRow(row: StateRow): NodeWatchState {
  const corrupt = (why: string) =>
    new StoreError("corrupt-row", `the stored watch state of ${JSON.stringify(row.node_id)} is damaged: ${why}`, {
      hint: "remove the node's state (it is rebuilt from the next probes) or restore the database from a backup",
    });
  if (!isNodeHealth(row.health)) throw corrupt(`health ${JSON.stringify(row.health)}`);
  let incident: NodeWatchState["incident"] = null;
  if (row.incident_id !== null) {
    const escalated = decodeEscalated(row.incident_escalated ?? "?");
    if (escalated === null) throw corrupt(`escalation list ${JSON.stringify(row.incident_escalated)} is not like "20,40"`);
    if (row.incident_started_at === null || row.incident_cause === null) throw corrupt("the open incident lacks its start or cause");
    incident = { id: row.incident_id, startedAt: row.incident_started_at, cause: row.incident_cause, escalated };
  }
  return {
    nodeId: row.node_id,
    health: row.health,
    degraded: row.degraded,
    failures: row.failures,
    successes: row.successes,
    lastGoodAt: row.last_good_at,
    lastProbeAt: row.last_probe_at,
    failingSince: row.failing_since,
    incident,
  };
}
