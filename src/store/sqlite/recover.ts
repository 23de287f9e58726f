import { existsSync, renameSync } from "node:fs";
import { openMigrated } from "./migrated.ts";

/**
 * A damaged database set aside, and a new one started in its place: what still reads of the old
 * file is carried over table by table (dashboard accounts first), and the old file is kept, never
 * deleted, so `sqlite3 OLD .recover` can save the rest. Probe history is not carried: it is the
 * bulk of the file, the likeliest place of the damage, and the watcher rebuilds it.
 */

/** In the order foreign keys need; each is copied in its own transaction, so one damaged table loses only itself. */
const CARRIED = ["auth_users", "auth_backup_codes", "auth_events", "node_states", "incidents", "incident_events", "outbox", "fleet_snapshot"] as const;

export interface Recovery {
  /** Where the damaged file now is. */
  setAside: string;
  /** Tables copied whole, with their row counts. */
  carried: { table: string; rows: number }[];
  /** Tables that could not be read, with SQLite's reason. */
  lost: { table: string; error: string }[];
}

export function setAsideAndRecover(path: string, now: Date): Recovery {
  const setAside = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, "-")}`;
  renameSync(path, setAside);
  // The write-ahead log and its index belong to the damaged file: they travel with it.
  for (const suffix of ["-wal", "-shm"]) if (existsSync(path + suffix)) renameSync(path + suffix, setAside + suffix);
  const db = openMigrated(path);
  const carried: Recovery["carried"] = [];
  const lost: Recovery["lost"] = [];
  try {
    try {
      db.prepare("ATTACH DATABASE ? AS damaged").run(setAside);
    } catch (e) {
      return { setAside, carried, lost: CARRIED.map((table) => ({ table, error: (e as Error).message })) };
    }
    for (const table of CARRIED) {
      try {
        const columns = commonColumns(db, table);
        if (columns.length === 0) continue;
        const list = columns.map((c) => `"${c}"`).join(", ");
        const rows = db.transaction(() => db.prepare(`INSERT INTO main."${table}" (${list}) SELECT ${list} FROM damaged."${table}"`).run().changes).immediate();
        carried.push({ table, rows });
      } catch (e) {
        lost.push({ table, error: (e as Error).message });
      }
    }
    db.prepare("DETACH DATABASE damaged").run();
  } finally {
    db.close();
  }
  return { setAside, carried, lost };
}

/** The columns both schemas have (an older file may lack newer ones); none when the damaged file lacks the table. */
function commonColumns(db: ReturnType<typeof openMigrated>, table: string): string[] {
  const names = (schema: string) => new Set(db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).pluck().all(table, schema) as string[]);
  const old = names("damaged");
  return [...names("main")].filter((c) => old.has(c));
}
