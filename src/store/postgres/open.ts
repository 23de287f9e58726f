import type { AuthStore } from "../../auth/ports.ts";
import type { Clock } from "../../core/clock.ts";
import { systemClock } from "../../core/clock.ts";
import type { Fence, FleetStores } from "../../fleet/ports.ts";
import type { Stores } from "../stores.ts";
import { postgresAuthStore } from "./auth-store.ts";
import { loadPg } from "./pg-module.ts";
import { createPool, describeTarget, parseStoreUrl, urlPassword, type ConnectionOptions } from "./connection.ts";
import { database } from "./db.ts";
import { postgresFleetSnapshotStore } from "./fleet-snapshot-store.ts";
import { postgresIncidentStore } from "./incident-store.ts";
import { postgresLatestProbeStore } from "./latest-probe-store.ts";
import { postgresLeaseStore } from "./lease-store.ts";
import { migrate } from "./migrate.ts";
import { PG_MIGRATIONS } from "./migrations/index.ts";
import { postgresNetviewStore } from "./netview-store.ts";
import { postgresNodeStateStore } from "./node-state-store.ts";
import { postgresOutboxStore } from "./outbox-store.ts";
import { postgresProbeStore } from "./probe-store.ts";
import { postgresVantageStore } from "./vantage-store.ts";

export interface PostgresStore extends Stores, FleetStores {
  auth: AuthStore;
  /** "postgres://user@host:port/db", for messages (never the password). */
  target: string;
  /** Starts ending the pool, at once and idempotently; calls made afterwards fail as "unavailable". */
  close(): void;
  /** Ends the pool; resolves when every connection is closed. */
  end(): Promise<void>;
}

export interface PostgresStoreOptions extends ConnectionOptions {
  /**
   * The leader's fence, asked at every outbox.enqueue and outbox.markSending: when it returns a
   * Fence, the write succeeds only while that lease is still held (fence.ts). null: not fenced.
   */
  fence?: () => Fence | null;
  /** Read only when a method has no `now` argument (an unreadable outbox row found by `list`). */
  clock?: Pick<Clock, "now">;
}

/**
 * The store of a fleet of watchers: every port on one PostgreSQL database through a pool, the
 * schema migrated to the newest version first (once, however many watchers start together).
 * Throws StoreError: "unavailable" when the server cannot be reached or refuses us (the message
 * names the server, never the password), "schema-too-new", "not-nodeward", "migration-failed",
 * "invalid-argument" for a URL that is not postgres://.
 *
 * Text is compared and ordered byte by byte (COLLATE "C") wherever the order is part of a port's
 * answer, so lists come back in the same order as from SQLite whatever the database's locale.
 */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const parsed = parseStoreUrl(url);
  const target = describeTarget(parsed);
  const password = opts.password ?? urlPassword(parsed);
  const db = database(createPool(await loadPg(), parsed, opts), { target, password });
  try {
    await migrate(db, PG_MIGRATIONS, target);
  } catch (e) {
    await db.end();
    throw e;
  }
  const fence = opts.fence ?? (() => null);
  return {
    target,
    probes: postgresProbeStore(db),
    incidents: postgresIncidentStore(db),
    nodeStates: postgresNodeStateStore(db),
    outbox: postgresOutboxStore(db, opts.clock ?? systemClock, fence),
    fleetSnapshot: postgresFleetSnapshotStore(db),
    netview: postgresNetviewStore(db),
    latest: postgresLatestProbeStore(db),
    vantages: postgresVantageStore(db),
    leases: postgresLeaseStore(db),
    auth: postgresAuthStore(db),
    close: db.close,
    end: db.end,
  };
}
