import type { NetviewStore } from "../../netview/ports.ts";
import { checkNetviewRecord, fromNetviewRow, NETVIEW_COLUMNS, toNetviewRow, type NetviewRow } from "../netview-record.ts";
import type { Db } from "./db.ts";

/**
 * `netview` (migration 0004): one row per node. A save is one multi-row upsert (one statement,
 * so one transaction, whatever the number of rows); a node given twice in a batch keeps the later
 * record. Rows are written in node id order, so concurrent saves of the same nodes lock them in
 * the same order and wait for each other instead of deadlocking. Failures leave as db.ts
 * translates them (faults.ts): the server down or unreachable is StoreError "unavailable".
 */

const TYPES = ["text", "text", "text", "bigint", "bigint", "bigint", "text", "bigint", "text"];

const UPSERT = `INSERT INTO netview (${NETVIEW_COLUMNS.join(", ")})
  SELECT DISTINCT ON (node_id) ${NETVIEW_COLUMNS.join(", ")}
  FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(", ")}) WITH ORDINALITY AS t(${NETVIEW_COLUMNS.join(", ")}, ord)
  ORDER BY node_id, ord DESC
  ON CONFLICT (node_id) DO UPDATE SET ${NETVIEW_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(", ")}`;

export function postgresNetviewStore(db: Db): NetviewStore {
  return {
    async saveNetview(records) {
      const rows = records.map(checkNetviewRecord).map(toNetviewRow);
      if (rows.length === 0) return;
      await db.query(UPSERT, NETVIEW_COLUMNS.map((c) => rows.map((r) => r[c])));
    },
    async latestNetview() {
      const { rows } = await db.query<NetviewRow>(`SELECT ${NETVIEW_COLUMNS.join(", ")} FROM netview ORDER BY node_id COLLATE "C"`);
      return rows.map(fromNetviewRow);
    },
    async pruneNetview(keepNodeIds) {
      // <> ALL of an empty array is true: no node kept, every row goes.
      const { rowCount } = await db.query("DELETE FROM netview WHERE node_id <> ALL($1::text[])", [[...keepNodeIds]]);
      return rowCount ?? 0;
    },
  };
}
