import type Database from "better-sqlite3";
import { openDatabase } from "./connection.ts";
import { migrate } from "./migrate.ts";
import { MIGRATIONS } from "./migrations/index.ts";

/** The database file opened (created when missing) and migrated to the newest schema; closed again when migrating fails. */
export function openMigrated(path: string): Database.Database {
  const db = openDatabase(path);
  try {
    migrate(db, MIGRATIONS, path);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
