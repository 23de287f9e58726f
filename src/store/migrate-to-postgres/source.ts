import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { StoreError } from "../errors.ts";
import { BUSY_TIMEOUT_MS } from "../sqlite/connection.ts";
import { checkIdentity, schemaVersion } from "../sqlite/migrate.ts";
import { MIGRATIONS } from "../sqlite/migrations/index.ts";
import { cursorOf, pageSql, type Row, type TableCopy } from "./table.ts";

/**
 * The SQLite watch database, read-only: opened with SQLITE_OPEN_READONLY (no statement of ours
 * can change it, and it is never migrated), inside ONE read transaction for the whole run. In
 * WAL mode that snapshot never blocks the watcher or the CLI writing the file meanwhile; it makes
 * every count and page of the run one consistent picture (a compaction in between cannot put a
 * probe into both the raw rows and an hourly rollup of the copy).
 */
export interface SqliteSource {
  path: string;
  count(t: TableCopy): number;
  /** The table in keyset order, `size` rows a page; each page is read when asked for. */
  pages(t: TableCopy, size: number): Generator<Row[]>;
  close(): void;
}

const WHERE_HINT = "give the watcher's database with --from FILE, or set watch.database in the configuration";

export function openSqliteSource(path: string): SqliteSource {
  if (!existsSync(path)) throw new StoreError("unavailable", `no watch database at ${path}: no such file`, { hint: WHERE_HINT });
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (e) {
    throw new StoreError("unavailable", `cannot open the watch database ${path}: ${(e as Error).message}`, { cause: e, hint: WHERE_HINT });
  }
  try {
    checkIdentity(db, path);
    checkVersion(db, path);
    db.exec("BEGIN");
    // The snapshot starts with the first read, not with BEGIN: read now, so every count and page sees the same one.
    db.prepare("SELECT count(*) FROM sqlite_schema").get();
  } catch (e) {
    db.close();
    throw e;
  }
  return {
    path,
    count: (t) => Number((db.prepare(t.countSqlite).get() as { n: number }).n),
    *pages(t, size) {
      const first = db.prepare(pageSql(t, false));
      const next = db.prepare(pageSql(t, true));
      let page = first.all(size) as Row[];
      while (page.length > 0) {
        yield page;
        if (page.length < size) return;
        page = next.all(...cursorOf(t, page[page.length - 1]!), size) as Row[];
      }
    },
    close() {
      if (!db.open) return;
      if (db.inTransaction) db.exec("ROLLBACK");
      db.close();
    },
  };
}

/**
 * The file must be at the schema this nodeward writes: read-only, it cannot be brought up to
 * date here, and a newer one holds tables this copy would not know.
 */
function checkVersion(db: Database.Database, path: string): void {
  const version = schemaVersion(db);
  const latest = MIGRATIONS.length;
  if (version > latest) {
    throw new StoreError("schema-too-new", `${path} is at schema version ${version} but this nodeward knows versions up to ${latest}: it was written by a newer nodeward`, {
      hint: "run the migration with that newer nodeward",
    });
  }
  if (version < latest) {
    throw new StoreError("invalid-argument", `${path} is at schema version ${version}, older than this nodeward's ${latest}; the copy reads it as it is and never upgrades it`, {
      hint: "upgrade it first: run `nodeward status` (or start `nodeward watch`) once with this nodeward, then migrate",
    });
  }
}
