import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { StoreError } from "../errors.ts";
import { checkIdentity } from "./migrate.ts";

/** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;
/** After a checkpoint the WAL file is truncated to this, so it cannot stay gigabytes large. */
export const WAL_SIZE_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * Opens (creating when missing) the database file with nodeward's settings, after checking that
 * the file is empty or nodeward's own (see checkIdentity):
 * - a new directory is created 0700 and a new file 0600 (SQLite gives -wal/-shm the file's mode);
 * - auto_vacuum=INCREMENTAL, set before the first table (it cannot change afterwards without VACUUM);
 * - journal_mode=WAL: readers never block the writer, and the daemon's dashboard never sees
 *   "database is locked" from its own process;
 * - synchronous=FULL: the WAL is fsynced at every commit, so a resolved write survives kill -9
 *   (NORMAL would too) and also power loss or a hypervisor reset (NORMAL would not). The daemon
 *   commits a handful of transactions a minute, so the fsync costs nothing that matters;
 * - foreign_keys=ON and a busy timeout for the CLI reading while the daemon writes.
 */
export function openDatabase(path: string): Database.Database {
  prepareFile(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    checkIdentity(db, path);
    configure(db);
    return db;
  } catch (e) {
    db?.close();
    throw asStoreError(e, path);
  }
}

function prepareFile(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, "wx", 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return;
    throw new StoreError("unavailable", `cannot create the database ${path}: ${(e as Error).message}`, { cause: e });
  }
}

function configure(db: Database.Database): void {
  const empty = db.prepare("SELECT count(*) FROM sqlite_schema").pluck().get() === 0;
  if (empty) db.pragma("auto_vacuum = INCREMENTAL");
  const mode = db.pragma("journal_mode = WAL", { simple: true });
  if (mode !== "wal") throw new Error(`journal_mode stayed ${String(mode)} instead of wal`);
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
}

function asStoreError(e: unknown, path: string): unknown {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  if (code === "SQLITE_NOTADB") {
    return new StoreError("not-nodeward", `${path} is not an SQLite database (${message})`, {
      cause: e,
      hint: "point the data path at a new file or at an existing nodeward database",
    });
  }
  return new StoreError("unavailable", `cannot open the database ${path}: ${message}`, { cause: e });
}
