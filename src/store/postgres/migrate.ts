import { InternalError } from "../../core/errors.ts";
import { StoreError } from "../errors.ts";
import type { Db, Query } from "./db.ts";
import { isServerError } from "./faults.ts";

/**
 * Numbered schema migrations for PostgreSQL, like store/sqlite/migrate.ts: each runs in its own
 * transaction together with its row in `nodeward_schema`, so a failure leaves the database at the
 * version before it, never half-way; a database of a newer nodeward is refused, never downgraded.
 *
 * Several watchers start at once against one database: each step takes a transaction-scoped
 * advisory lock first and reads the version under it, so exactly one of them applies each
 * migration and the others find it done. The lock goes with the transaction's end, also when the
 * process dies, so it can never be left behind.
 */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** The advisory lock key of migrations: "nwmigrat" as a 64-bit number, unlikely to clash with another application's. */
export const MIGRATION_LOCK = "7959951165875183988";

const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS nodeward_schema (
  version integer PRIMARY KEY CHECK (version > 0),
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

export async function migrate(db: Db, migrations: readonly PgMigration[], target: string): Promise<{ from: number; to: number }> {
  checkNumbering(migrations);
  const latest = migrations.length;
  let from: number | undefined;
  for (;;) {
    const step = await db.write(async (q) => {
      await q("SELECT pg_advisory_xact_lock($1::bigint)", [MIGRATION_LOCK]);
      await checkIdentity(q, target);
      // Created only when missing: a watcher's role with no right to create tables (docs/fleet.md) opens a database that is up to date.
      if ((await q<{ t: string | null }>("SELECT to_regclass('nodeward_schema')::text AS t")).rows[0]?.t == null) await q(VERSION_TABLE);
      const version = Number((await q<{ v: number | null }>("SELECT max(version) AS v FROM nodeward_schema")).rows[0]?.v ?? 0);
      if (version > latest) throw tooNew(target, version, latest);
      const next = migrations[version];
      if (next !== undefined) await apply(q, next, version, target);
      return { version, applied: next !== undefined };
    });
    from ??= step.version;
    if (!step.applied) return { from, to: step.version };
  }
}

export async function schemaVersion(q: Query): Promise<number> {
  const exists = (await q<{ t: string | null }>("SELECT to_regclass('nodeward_schema')::text AS t")).rows[0]?.t;
  if (exists === null || exists === undefined) return 0;
  return Number((await q<{ v: number | null }>("SELECT max(version) AS v FROM nodeward_schema")).rows[0]?.v ?? 0);
}

/**
 * A database without nodeward's version table must have no tables of its own in the schema we
 * create ours in: pointing the store at another application's database is refused before
 * anything is created there.
 */
async function checkIdentity(q: Query, target: string): Promise<void> {
  const { rows } = await q<{ ours: boolean; tables: number }>(
    `SELECT to_regclass('nodeward_schema') IS NOT NULL AS ours,
            (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()) AS tables`,
  );
  const row = rows[0];
  if (row === undefined || row.ours || row.tables === 0) return;
  throw new StoreError("not-nodeward", `the database ${target} holds ${row.tables} tables but none of nodeward's schema table; it is not nodeward's`, {
    hint: "give nodeward a database of its own (CREATE DATABASE nodeward OWNER …)",
  });
}

async function apply(q: Query, m: PgMigration, at: number, target: string): Promise<void> {
  try {
    await q(m.sql);
    await q("INSERT INTO nodeward_schema (version, name) VALUES ($1, $2)", [m.version, m.name]);
  } catch (e) {
    // A lost connection is "unavailable" (db.ts), not a failed migration.
    if (e instanceof StoreError || !isServerError(e)) throw e;
    throw new StoreError(
      "migration-failed",
      `migration ${label(m)} failed on ${target}: ${e instanceof Error ? e.message : String(e)}; the database is unchanged at schema version ${at}`,
      { cause: e, hint: "this is a bug in nodeward or a damaged database; keep the database and report the message" },
    );
  }
}

function tooNew(target: string, version: number, latest: number): StoreError {
  return new StoreError(
    "schema-too-new",
    `${target} is at schema version ${version} but this nodeward knows versions up to ${latest}: it was written by a newer nodeward`,
    { hint: "run that newer nodeward, or point the store at another database; a database is never downgraded" },
  );
}

function checkNumbering(migrations: readonly PgMigration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new InternalError(`migration ${label(m)} is listed at position ${i + 1}; versions must run 1, 2, 3, … without gaps`);
  });
}

function label(m: PgMigration): string {
  return `${String(m.version).padStart(4, "0")}-${m.name}`;
}
