import type Database from "better-sqlite3";
import type { NodeStateStore } from "../../watch/ports.ts";
import { checkNodeState } from "../node-state-record.ts";
import { fromStateRow, toStateRow, type StateRow } from "../node-state-row.ts";

/** `node_states`: one row per node; the open incident as four columns, its escalations as "20,40". */

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
      save.immediate(states.map(toStateRow));
    },
    async loadAll() {
      return all.all().map(fromStateRow);
    },
    async remove(nodeIds) {
      remove.immediate(nodeIds);
    },
  };
}
