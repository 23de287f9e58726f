import type Database from "better-sqlite3";
import { InternalError } from "../../core/errors.ts";
import { StoreError } from "../errors.ts";

/**
 * Numbered schema migrations. The version is `PRAGMA user_version`; each migration runs in its
 * own transaction together with the version bump, so a crash or an error leaves the database at
 * the previous version, never half-way. A database newer than this nodeward is refused, never
 * downgraded or patched by ignoring errors. `PRAGMA application_id` marks the file as nodeward's.
 * (A future migration that rebuilds a table must run with foreign_keys off: that pragma cannot
 * change inside a transaction, so such a migration needs its own step here.)
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** "nwdb" in ASCII. */
export const NODEWARD_APPLICATION_ID = 0x6e776462;

export function schemaVersion(db: Database.Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

export function migrate(db: Database.Database, migrations: readonly Migration[], file: string): { from: number; to: number } {
  checkNumbering(migrations);
  const from = schemaVersion(db);
  const latest = migrations.length;
  if (from > latest) {
    throw new StoreError(
      "schema-too-new",
      `${file} is at schema version ${from} but this nodeward knows versions up to ${latest}: it was written by a newer nodeward`,
      { hint: "run that newer nodeward, or point the data path at another file; a database is never downgraded" },
    );
  }
  for (const m of migrations.slice(from)) {
    const step = db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      step.immediate();
    } catch (e) {
      throw new StoreError(
        "migration-failed",
        `migration ${label(m)} failed on ${file}: ${e instanceof Error ? e.message : String(e)}; the database is unchanged at schema version ${schemaVersion(db)}`,
        { cause: e, hint: "this is a bug in nodeward or a damaged database; keep the file and report the message" },
      );
    }
  }
  return { from, to: schemaVersion(db) };
}

/**
 * Version 0 must be an empty file; any later version must carry nodeward's application id.
 * Run before anything is changed, so another program's database is never switched to WAL.
 */
export function checkIdentity(db: Database.Database, file: string): void {
  const version = schemaVersion(db);
  const appId = db.pragma("application_id", { simple: true }) as number;
  const tables = db.prepare("SELECT count(*) FROM sqlite_schema").pluck().get() as number;
  const ours = version === 0 ? tables === 0 && appId === 0 : appId === NODEWARD_APPLICATION_ID;
  if (!ours) {
    throw new StoreError("not-nodeward", `${file} is an SQLite database but not nodeward's (application id ${appId}, ${tables} schema objects)`, {
      hint: "point the data path at a new file or at an existing nodeward database",
    });
  }
}

function checkNumbering(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new InternalError(`migration ${label(m)} is listed at position ${i + 1}; versions must run 1, 2, 3, … without gaps`);
  });
}

function label(m: Migration): string {
  return `${String(m.version).padStart(4, "0")}-${m.name}`;
}
