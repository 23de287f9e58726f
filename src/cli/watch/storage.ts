import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import { HoldingOutbox } from "../../alerts/holding-outbox.ts";
import type { Logger } from "../../core/logger.ts";
import type { NetviewStore } from "../../netview/ports.ts";
import { isStoreError, openSqliteStore, type SqliteStore, type Stores } from "../../store/index.ts";
import { isCorruption, isStorageFault as isSqliteFault } from "../../store/sqlite/faults.ts";
import { setAsideAndRecover, type Recovery } from "../../store/sqlite/recover.ts";
import type { Lifecycle } from "../../watch/lifecycle.ts";
import type { WatcherHealth } from "../../watch/watcher-health.ts";
import { WriteBehind } from "../../watch/write-behind.ts";

/**
 * The daemon's storage, built to survive its file: opened (a damaged file is set aside and a new
 * one started, what still reads carried over), wrapped so a failing disk holds writes in memory
 * instead of stopping the watch, and checked every few seconds for having been deleted or replaced.
 */

export interface DaemonStorage {
  stores: Stores;
  writes: WriteBehind;
  outbox: HoldingOutbox;
  /** Retries held writes; ends the run when more is held than the daemon may keep. */
  retry(): Promise<void>;
  /** For /healthz: what is held in memory now. */
  held(): { probes: number; probesDropped: number; states: number; incidentChanges: number; alerts: boolean };
}

/** Opens the SQLite file, setting a damaged one aside first when `recover` (or when opening finds it damaged). */
export function openWatchDatabase(path: string, recover: boolean, now: Date): { store: SqliteStore; recovery: Recovery | null } {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (recover && existsSync(path)) {
    const recovery = setAsideAndRecover(path, now);
    return { store: openSqliteStore(path), recovery };
  }
  try {
    return { store: openSqliteStore(path), recovery: null };
  } catch (e) {
    if (!isCorruption(e)) throw e;
    const recovery = setAsideAndRecover(path, now);
    return { store: openSqliteStore(path), recovery };
  }
}

/** One line for the alert: where the old file went and what came over. */
export function recoveryText(r: Recovery): string {
  const carried = r.carried.filter((c) => c.rows > 0).map((c) => `${c.table} (${c.rows})`);
  const users = r.carried.find((c) => c.table === "auth_users");
  const lost = r.lost.map((l) => l.table);
  return (
    `the damaged file was moved to ${r.setAside} and a new database started; ` +
    (carried.length > 0 ? `carried over: ${carried.join(", ")}` : "nothing could be carried over") +
    (lost.length > 0 ? `; could not read: ${lost.join(", ")}` : "") +
    (users === undefined ? "; dashboard users could not be carried over: restore them from the old file (sqlite3 .recover) or add them again" : "")
  );
}

/** The store's failures, not the caller's: SQLite's disk and file errors, PostgreSQL down, unreachable or too slow ("unavailable"). */
function isStorageFault(e: unknown): boolean {
  return isSqliteFault(e) || isStoreError(e, "unavailable");
}

export function guardStorage(inner: Stores, d: { health: WatcherHealth; lifecycle: Lifecycle; log: Logger }): DaemonStorage {
  let failing = false;
  let written = "";
  const fault = (e: unknown) => {
    if (isCorruption(e)) d.lifecycle.restart("the database is damaged", { recover: true });
    if (failing) return;
    failing = true;
    void d.health.raise("storage", `${(e as Error).message}: probing and alerting go on, results wait in memory until the database takes writes again`);
  };
  const writes = new WriteBehind(inner, {
    isStorageFault,
    onFault: fault,
    onRecovered: (s) => (written = `${s.probesWritten} held probe results written${s.probesDropped > 0 ? `, ${s.probesDropped} dropped for room` : ""}`),
    onDropped: (what, e) => d.log.error({ what, error: (e as Error).message }, "a held write can never succeed; dropped"),
  });
  const outbox = new HoldingOutbox(inner.outbox, {
    isStorageFault,
    onFault: fault,
    onDropped: (item) => d.log.error({ alert: item.dedupeKey, channel: item.channel }, "too many alerts held in memory: the oldest was given up"),
  });
  const netview = guardNetview(inner.netview, fault);
  return {
    stores: { ...inner, probes: writes.probes, nodeStates: writes.nodeStates, incidents: writes.incidents, outbox, netview: netview.store },
    writes,
    outbox,
    async retry() {
      if (writes.holding) await writes.retry();
      if (writes.overflowed) d.lifecycle.fail(`more than ${writes.held().incidentChanges - 1} incident changes wait for the database: the watcher cannot keep its record straight`);
      // The probe writes every second prove the database takes writes; held alerts go in at the next delivery pass;
      // the network view, held by its poller, at its next round.
      if (failing && !writes.holding && !outbox.holding && !netview.failing()) {
        failing = false;
        await d.health.clear("storage", `writes resumed${written === "" ? "" : `: ${written}`}`);
      }
    },
    held: () => ({ ...writes.held(), alerts: outbox.holding }),
  };
}

/**
 * The network view's rows: its poller holds the latest in memory and saves them all every round,
 * so a refused write is not held here; it raises the storage fault like any other, and the fault
 * stays raised until a save of the network view succeeds again.
 */
function guardNetview(inner: NetviewStore, fault: (e: unknown) => void): { store: NetviewStore; failing(): boolean } {
  let failing = false;
  const guarded = async <T>(what: "save" | "read" | "prune", run: () => Promise<T>): Promise<T> => {
    try {
      const result = await run();
      // Only a whole save proves the rows are written again.
      if (what === "save") failing = false;
      return result;
    } catch (e) {
      if (isStorageFault(e)) {
        if (what !== "read") failing = true;
        fault(e);
      }
      throw e;
    }
  };
  return {
    store: {
      saveNetview: (records) => guarded("save", () => inner.saveNetview(records)),
      latestNetview: () => guarded("read", () => inner.latestNetview()),
      pruneNetview: (keep) => guarded("prune", () => inner.pruneNetview(keep)),
    },
    failing: () => failing,
  };
}

/**
 * Checks that the database file is still the one open. When it was deleted (or replaced), the open
 * connection still holds everything: a complete copy is written back to the path, the auth key
 * file too when it went with it, and the run restarts on the copy. The file found in its place
 * and stray -wal/-shm files are kept beside it, renamed.
 */
export function databaseFileCheck(
  store: SqliteStore,
  d: { lifecycle: Lifecycle; restoreKeyFile: () => boolean; notice: WatcherHealth["notice"]; log: Logger; now: () => Date },
): () => Promise<void> {
  let failedBefore = false;
  return async () => {
    const status = store.fileStatus();
    if (status === "ok") return;
    try {
      restore(status);
    } catch (e) {
      // Said once; tried again at every check. The open connection still holds everything meanwhile.
      if (!failedBefore) {
        await d.notice("database-deleted", `${store.path} was ${status === "missing" ? "deleted" : "replaced"} while the watcher ran and cannot be written back (${(e as Error).message}); the watcher goes on with the open file, but a restart now would lose its history and dashboard users`);
      }
      failedBefore = true;
      throw e;
    }
  };
  function restore(status: "missing" | "replaced"): void {
    const path = store.path;
    const stamp = d.now().toISOString().replace(/[:.]/g, "-");
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const kept: string[] = [];
    const keep = (file: string, tag: string) => {
      if (!existsSync(file)) return;
      renameSync(file, `${file}.${tag}-${stamp}`);
      kept.push(`${file}.${tag}-${stamp}`);
    };
    if (status === "replaced") keep(path, "replaced");
    for (const suffix of ["-wal", "-shm"]) keep(path + suffix, "orphan");
    store.copyTo(path);
    const key = d.restoreKeyFile() ? "; the dashboard's key file was written back too" : "";
    const detail = `${path} was ${status === "missing" ? "deleted" : "replaced by another file"} while the watcher ran; its data was written back from the open connection${key}` +
      (kept.length > 0 ? ` (kept: ${kept.join(", ")})` : "");
    d.log.error({ path, status }, "the database file was deleted or replaced: restored, restarting on it");
    d.lifecycle.restart("the database file was restored", { notices: [{ fault: "database-deleted", detail }] });
  }
}
