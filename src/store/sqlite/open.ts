import type { Clock } from "../../core/clock.ts";
import { systemClock } from "../../core/clock.ts";
import type { Stores } from "../stores.ts";
import { sqliteIncidentStore } from "./incident-store.ts";
import { openMigrated } from "./migrated.ts";
import { nodeKeys } from "./node-keys.ts";
import { sqliteNodeStateStore } from "./node-state-store.ts";
import { sqliteOutboxStore } from "./outbox-store.ts";
import { sqliteProbeStore } from "./probe-store.ts";

export interface SqliteStore extends Stores {
  /** The database file. */
  path: string;
}

export interface SqliteStoreOptions {
  /** Read only when a method has no `now` argument (an unreadable outbox row found by `list`). */
  clock?: Pick<Clock, "now">;
}

/**
 * The daemon's store: one better-sqlite3 connection on `path` (created 0600, its directory 0700,
 * when missing), WAL, synchronous=FULL, foreign keys, busy timeout, migrated to the newest
 * schema. Throws StoreError: "schema-too-new" for a database of a newer nodeward, "not-nodeward"
 * for another file, "unavailable" when it cannot be opened, "migration-failed".
 */
export function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): SqliteStore {
  const db = openMigrated(path);
  const keys = nodeKeys(db);
  return {
    path,
    probes: sqliteProbeStore(db, keys),
    incidents: sqliteIncidentStore(db),
    nodeStates: sqliteNodeStateStore(db),
    outbox: sqliteOutboxStore(db, opts.clock ?? systemClock),
    close() {
      if (!db.open) return;
      db.pragma("optimize");
      db.close();
    },
  };
}
