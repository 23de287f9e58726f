import { closeSync, openSync, rmSync, statSync } from "node:fs";
import type { Clock } from "../../core/clock.ts";
import { systemClock } from "../../core/clock.ts";
import type { FleetStores } from "../../fleet/ports.ts";
import type { Stores } from "../stores.ts";
import { sqliteFleetSnapshotStore } from "./fleet-snapshot-store.ts";
import { sqliteIncidentStore } from "./incident-store.ts";
import { sqliteLatestProbes } from "./latest-probes.ts";
import { sqliteLeaseStore } from "./lease-store.ts";
import { openMigrated } from "./migrated.ts";
import { sqliteNetviewStore } from "./netview-store.ts";
import { nodeKeys } from "./node-keys.ts";
import { sqliteNodeStateStore } from "./node-state-store.ts";
import { sqliteOutboxStore } from "./outbox-store.ts";
import { sqliteProbeStore } from "./probe-store.ts";
import { sqliteVantageStore } from "./vantage-store.ts";

export interface SqliteStore extends Stores, FleetStores {
  /** The database file. */
  path: string;
  /**
   * Whether `path` still names the file this connection has open: "missing" once it was deleted
   * (writes then go to a file nobody can open again), "replaced" when another file took its place.
   */
  fileStatus(): "ok" | "missing" | "replaced";
  /** Writes a complete, consistent copy of the database as it is now to `target` (VACUUM INTO), mode 0600. */
  copyTo(target: string): void;
}

export interface SqliteStoreOptions {
  /** Read only when a method has no `now` argument (an unreadable outbox row found by `list`), and to time leases. */
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
  const identity = statSync(path);
  const latest = sqliteLatestProbes(db);
  const clock = opts.clock ?? systemClock;
  return {
    path,
    fileStatus() {
      try {
        const now = statSync(path);
        return now.ino === identity.ino && now.dev === identity.dev ? "ok" : "replaced";
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return "missing";
        throw e;
      }
    },
    copyTo(target) {
      closeSync(openSync(target, "wx", 0o600));
      try {
        // VACUUM INTO wants a new file or an empty one; the empty 0600 file fixes the copy's mode.
        db.prepare("VACUUM INTO ?").run(target);
      } catch (e) {
        rmSync(target, { force: true });
        throw e;
      }
    },
    probes: sqliteProbeStore(db, keys, latest),
    incidents: sqliteIncidentStore(db),
    nodeStates: sqliteNodeStateStore(db),
    outbox: sqliteOutboxStore(db, clock),
    fleetSnapshot: sqliteFleetSnapshotStore(db),
    netview: sqliteNetviewStore(db),
    latest: latest.latest,
    vantages: sqliteVantageStore(db),
    leases: sqliteLeaseStore(db, clock),
    close() {
      if (!db.open) return;
      try {
        db.pragma("optimize");
      } catch {
        // A full disk or a damaged file refuses the statistics update; closing must still work.
      }
      db.close();
    },
  };
}
