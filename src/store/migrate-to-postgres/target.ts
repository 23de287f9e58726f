import { loadPg } from "../postgres/pg-module.ts";
import { createPool, describeTarget, parseStoreUrl, urlPassword } from "../postgres/connection.ts";
import { database, type Db } from "../postgres/db.ts";
import { migrate } from "../postgres/migrate.ts";
import { PG_MIGRATIONS } from "../postgres/migrations/index.ts";
import type { TableCopy } from "./table.ts";

/**
 * The PostgreSQL side of a copy: the same pool, fault translation and schema migration as the
 * store's own open (postgres/open.ts), so a database of a newer nodeward is refused
 * ("schema-too-new"), another application's is refused ("not-nodeward"), and an empty one gets
 * the newest schema before the first row. Messages name the server, never the password.
 */
export interface PostgresTarget {
  /** "postgres://user@host:port/db", for messages. */
  target: string;
  /** One batch in one transaction (the table's prelude, then its INSERT); resolves to the rows inserted. */
  insert(t: TableCopy, params: readonly unknown[]): Promise<number>;
  count(t: TableCopy): Promise<number>;
  end(): Promise<void>;
}

export async function openPostgresTarget(url: string, opts: { password?: string } = {}): Promise<PostgresTarget> {
  const parsed = parseStoreUrl(url);
  const target = describeTarget(parsed);
  const password = opts.password ?? urlPassword(parsed);
  // Two connections: the copy writes one batch at a time, and the counts never wait for it.
  const db: Db = database(createPool(await loadPg(), parsed, { poolSize: 2, ...(password === undefined ? {} : { password }) }), { target, password });
  try {
    await migrate(db, PG_MIGRATIONS, target);
  } catch (e) {
    await db.end();
    throw e;
  }
  return {
    target,
    insert: (t, params) =>
      db.write(async (q) => {
        for (const s of t.prelude ?? []) await q(s.sql, s.params);
        return (await q(t.insert, params)).rowCount ?? 0;
      }),
    count: async (t) => Number((await db.query<{ n: number }>(t.countPostgres.sql, t.countPostgres.params)).rows[0]?.n ?? 0),
    end: db.end,
  };
}
