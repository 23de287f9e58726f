import type Database from "better-sqlite3";
import type { Clock } from "../../core/clock.ts";
import type { Lease, LeaseStore } from "../../fleet/ports.ts";
import { checkLeaseRequest } from "../lease-record.ts";

/**
 * `leases` (migration 0005), timed by `clock` (the store's clock: every process on one SQLite file
 * runs on the same host). Acquiring is one UPSERT, atomic across processes on the file: it takes
 * the row when it is new, lapsed or already this holder's, and returns nothing otherwise. The
 * token changes exactly when the holder does. A release lapses the row and keeps it, so the next
 * token still follows the last one.
 */

interface LeaseRow {
  name: string;
  holder: string;
  token: number;
  expires_at: number;
}

export function sqliteLeaseStore(db: Database.Database, clock: Pick<Clock, "now">): LeaseStore {
  const acquire = db.prepare<{ name: string; holder: string; now: number; expires: number }, LeaseRow>(
    `INSERT INTO leases (name, holder, token, expires_at) VALUES (@name, @holder, 1, @expires)
     ON CONFLICT (name) DO UPDATE SET
       token = CASE WHEN leases.holder = excluded.holder THEN leases.token ELSE leases.token + 1 END,
       holder = excluded.holder,
       expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= @now
     RETURNING name, holder, token, expires_at`,
  );
  const release = db.prepare<{ name: string; holder: string; now: number }>(
    "UPDATE leases SET expires_at = min(expires_at, @now) WHERE name = @name AND holder = @holder",
  );
  const current = db.prepare<[string], LeaseRow>("SELECT name, holder, token, expires_at FROM leases WHERE name = ?");
  return {
    async acquireLease(name, holder, ttlMs) {
      checkLeaseRequest(name, holder, ttlMs);
      const now = clock.now();
      const row = acquire.get({ name, holder, now, expires: now + ttlMs });
      return row === undefined ? null : fromRow(row);
    },
    async releaseLease(name, holder) {
      release.run({ name, holder, now: clock.now() });
    },
    async currentLease(name) {
      const row = current.get(name);
      return row === undefined ? null : fromRow(row);
    },
  };
}

function fromRow(row: LeaseRow): Lease {
  return { name: row.name, holder: row.holder, token: row.token, expiresAt: row.expires_at };
}
