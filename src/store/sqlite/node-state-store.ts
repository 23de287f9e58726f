import type Database from "better-sqlite3";
import type { NodeWatchState } from "../../watch/model.ts";
import type { NodeStateStore } from "../../watch/ports.ts";
import { StoreError } from "../errors.ts";
import { checkNodeState, decodeEscalated, encodeEscalated, isNodeHealth } from "../node-state-record.ts";

/** `node_states`: one row per node; the open incident as four columns, its escalations as "20,40". */

interface StateRow {
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

export function sqliteNodeStateStore(db: Database.Database): NodeStateStore {
  const upsert = db.prepare<StateRow>(
    `INSERT INTO node_states (node_id, health, degraded, failures, successes, last_good_at, last_probe_at, failing_since,
       incident_id, incident_started_at, incident_cause, incident_escalated)
     VALUES (@node_id, @health, @degraded, @failures, @successes, @last_good_at, @last_probe_at, @failing_since,
       @incident_id, @incident_started_at, @incident_cause, @incident_escalated)
     ON CONFLICT (node_id) DO UPDATE SET health = excluded.health, degraded = excluded.degraded,
       failures = excluded.failures, successes = excluded.successes, last_good_at = excluded.last_good_at,
       last_probe_at = excluded.last_probe_at, failing_since = excluded.failing_since, incident_id = excluded.incident_id,
       incident_started_at = excluded.incident_started_at, incident_cause = excluded.incident_cause,
       incident_escalated = excluded.incident_escalated`,
  );
  const all = db.prepare<[], StateRow>("SELECT * FROM node_states ORDER BY node_id");
  const drop = db.prepare<[string]>("DELETE FROM node_states WHERE node_id = ?");

  const save = db.transaction((rows: readonly StateRow[]) => {
    for (const row of rows) upsert.run(row);
  });
  const remove = db.transaction((ids: readonly string[]) => {
    for (const id of ids) drop.run(id);
  });

  return {
    async save(states) {
      states.forEach(checkNodeState);
      save.immediate(states.map(toRow));
    },
    async loadAll() {
      return all.all().map(fromRow);
    },
    async remove(nodeIds) {
      remove.immediate(nodeIds);
    },
  };
}

function toRow(s: NodeWatchState): StateRow {
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
function fromRow(row: StateRow): NodeWatchState {
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
