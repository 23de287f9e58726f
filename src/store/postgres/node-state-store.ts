import type { NodeStateStore } from "../../watch/ports.ts";
import { checkNodeState } from "../node-state-record.ts";
import { fromStateRow, toStateRow, type StateRow } from "../node-state-row.ts";
import type { Db } from "./db.ts";

/**
 * `node_states`: one row per node; the open incident as four columns, its escalations as "20,40"
 * (as in SQLite: one text column, parsed and checked on read). A batch is one multi-row upsert;
 * a node given twice in a batch keeps the later state.
 */

const FIELDS = [
  "node_id", "health", "degraded", "failures", "successes", "last_good_at", "last_probe_at", "failing_since",
  "incident_id", "incident_started_at", "incident_cause", "incident_escalated",
] as const satisfies readonly (keyof StateRow)[];
const TYPES = ["text", "text", "text", "bigint", "bigint", "bigint", "bigint", "bigint", "text", "bigint", "text", "text"];

const UPSERT = `INSERT INTO node_states (${FIELDS.join(", ")})
  SELECT DISTINCT ON (node_id) ${FIELDS.join(", ")}
  FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ")}) WITH ORDINALITY AS t(${FIELDS.join(", ")}, ord)
  ORDER BY node_id, ord DESC
  ON CONFLICT (node_id) DO UPDATE SET ${FIELDS.slice(1).map((f) => `${f} = excluded.${f}`).join(", ")}`;

export function postgresNodeStateStore(db: Db): NodeStateStore {
  return {
    async save(states) {
      states.forEach(checkNodeState);
      if (states.length === 0) return;
      const rows = states.map(toStateRow);
      await db.query(UPSERT, FIELDS.map((f) => rows.map((r) => r[f])));
    },
    async loadAll() {
      const { rows } = await db.query<StateRow>(`SELECT ${FIELDS.join(", ")} FROM node_states ORDER BY node_id COLLATE "C"`);
      return rows.map(fromStateRow);
    },
    async remove(nodeIds) {
      if (nodeIds.length === 0) return;
      await db.query("DELETE FROM node_states WHERE node_id = ANY($1::text[])", [[...nodeIds]]);
    },
  };
}
