import type { Lease, LeaseStore } from "../../fleet/ports.ts";
import { StoreError } from "../errors.ts";
import type { Db } from "./db.ts";
import { DB_NOW_MS } from "./fence.ts";

/**
 * `leases`: one row per lease name. Taking a lease is ONE statement (INSERT … ON CONFLICT DO
 * UPDATE … WHERE), so two watchers asking at once are decided by the row lock, never both
 * granted; expiry is computed and compared by the database's clock, so the watchers' clocks do
 * not matter. A renewal by the holder keeps its token; a new holder gets the token + 1. The row is
 * never deleted (a release only lapses it), so tokens only grow: the fence (fence.ts) of an old
 * holder can never match again.
 */

interface LeaseRow {
  name: string;
  holder: string;
  token: number;
  expires_at: number;
}

const ACQUIRE = `INSERT INTO leases AS l (name, holder, token, expires_at) VALUES ($1, $2, 1, ${DB_NOW_MS} + $3::bigint)
  ON CONFLICT (name) DO UPDATE SET
    holder = excluded.holder,
    token = CASE WHEN l.holder = excluded.holder THEN l.token ELSE l.token + 1 END,
    expires_at = excluded.expires_at
  WHERE l.holder = excluded.holder OR l.expires_at <= ${DB_NOW_MS}
  RETURNING name, holder, token, expires_at`;

export function postgresLeaseStore(db: Db): LeaseStore {
  return {
    async acquireLease(name, holder, ttlMs) {
      checkLeaseArgs(name, holder);
      if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new StoreError("invalid-argument", `a lease's ttl must be whole ms > 0, got ${ttlMs}`);
      const row = (await db.query<LeaseRow>(ACQUIRE, [name, holder, ttlMs])).rows[0];
      return row === undefined ? null : toLease(row);
    },
    async releaseLease(name, holder) {
      checkLeaseArgs(name, holder);
      await db.query(`UPDATE leases SET expires_at = LEAST(expires_at, ${DB_NOW_MS}) WHERE name = $1 AND holder = $2`, [name, holder]);
    },
    async currentLease(name) {
      const row = (await db.query<LeaseRow>("SELECT name, holder, token, expires_at FROM leases WHERE name = $1", [name])).rows[0];
      return row === undefined ? null : toLease(row);
    },
  };
}

function toLease(r: LeaseRow): Lease {
  return { name: r.name, holder: r.holder, token: r.token, expiresAt: r.expires_at };
}

function checkLeaseArgs(name: string, holder: string): void {
  if (name === "" || holder === "") throw new StoreError("invalid-argument", `a lease needs a name and a holder, got ${JSON.stringify([name, holder])}`);
}
