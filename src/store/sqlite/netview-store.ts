import type Database from "better-sqlite3";
import type { NetviewStore } from "../../netview/ports.ts";
import { checkNetviewRecord, fromNetviewRow, NETVIEW_COLUMNS, toNetviewRow, type NetviewRow } from "../netview-record.ts";

/**
 * `netview` (migration 0006): one row per node, upserted by each save in one IMMEDIATE
 * transaction. Failures of the file (full disk, I/O, locked) come through as SQLite's own errors,
 * as from every SQLite port: store/sqlite/faults.ts tells them from the caller's.
 */
export function sqliteNetviewStore(db: Database.Database): NetviewStore {
  const upsert = db.prepare<NetviewRow>(
    `INSERT INTO netview (${NETVIEW_COLUMNS.join(", ")}) VALUES (${NETVIEW_COLUMNS.map((c) => `@${c}`).join(", ")})
     ON CONFLICT (node_id) DO UPDATE SET ${NETVIEW_COLUMNS.slice(1).map((c) => `${c} = excluded.${c}`).join(", ")}`,
  );
  const all = db.prepare<[], NetviewRow>(`SELECT ${NETVIEW_COLUMNS.join(", ")} FROM netview ORDER BY node_id`);
  const ids = db.prepare<[], string>("SELECT node_id FROM netview").pluck();
  const drop = db.prepare<[string]>("DELETE FROM netview WHERE node_id = ?");

  const save = db.transaction((rows: readonly NetviewRow[]) => {
    for (const row of rows) upsert.run(row);
  });
  // The table holds one row per watched node: reading its ids beats binding a list of any length.
  const prune = db.transaction((keep: ReadonlySet<string>) => {
    let dropped = 0;
    for (const id of ids.all()) if (!keep.has(id)) dropped += drop.run(id).changes;
    return dropped;
  });

  return {
    async saveNetview(records) {
      const rows = records.map(checkNetviewRecord).map(toNetviewRow);
      if (rows.length > 0) save.immediate(rows);
    },
    async latestNetview() {
      return all.all().map(fromNetviewRow);
    },
    async pruneNetview(keepNodeIds) {
      return prune.immediate(new Set(keepNodeIds));
    },
  };
}
