/**
 * The watch database's size on disk and per table (SQLite's dbstat), and a measured hourly
 * compaction at full scale on a copy: for bench:watch's growth-per-day and steady-state figures.
 */
import { copyFileSync, existsSync, statSync } from "node:fs";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { openSqliteStore } from "../../src/store/index.ts";

/** The database file plus its WAL (the WAL is part of what the daemon keeps on disk). */
export function fileBytes(path: string): { db: number; wal: number; total: number } {
  const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
  const db = size(path);
  const wal = size(`${path}-wal`);
  return { db, wal, total: db + wal };
}

export interface TableStats {
  rows: number;
  bytes: number;
}

/** Rows and bytes (pages × page size, from dbstat) of the watch tables, read-only. */
export function tableStats(path: string): { tables: Record<string, TableStats>; pageSize: number; pages: number; freePages: number } {
  const db = new Database(path, { readonly: true });
  try {
    const tables: Record<string, TableStats> = {};
    const bytes = new Map((db.prepare("SELECT name, SUM(pgsize) AS b FROM dbstat GROUP BY name").all() as { name: string; b: number }[]).map((r) => [r.name, r.b]));
    for (const t of ["probes", "probe_hours", "node_keys", "node_states", "incidents", "incident_events", "outbox"]) {
      const rows = db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
      // A table's bytes include its indexes (sqlite_autoindex_<table>_N, <table>_by…).
      let b = 0;
      for (const [name, v] of bytes) if (name === t || name.startsWith(`sqlite_autoindex_${t}_`) || name.startsWith(`${t}_`)) b += v;
      tables[t] = { rows, bytes: b };
    }
    return {
      tables,
      pageSize: db.pragma("page_size", { simple: true }) as number,
      pages: db.pragma("page_count", { simple: true }) as number,
      freePages: db.pragma("freelist_count", { simple: true }) as number,
    };
  } finally {
    db.close();
  }
}

export interface CompactionTrial {
  rawRowsRolled: number;
  ms: number;
  rollupRows: number;
  rollupBytesPerRow: number;
  rawBytesPerRow: number;
}

/**
 * On a copy of the database: one hour of raw probes per node (`perNodeHour` each) placed 8 days
 * back, then the daemon's own compaction (raw retention 7 days) timed. The compaction is one
 * synchronous transaction in the daemon's event loop: its duration is how long probes wait.
 */
export async function compactionTrial(path: string, copyPath: string, perNodeHour: number, now: number): Promise<CompactionTrial> {
  copyFileSync(path, copyPath);
  for (const ext of ["-wal", "-shm"]) if (existsSync(`${path}${ext}`)) copyFileSync(`${path}${ext}`, `${copyPath}${ext}`);
  const hour = Math.floor((now - 8 * 86_400_000) / 3_600_000) * 3_600_000;
  const raw = new Database(copyPath);
  const keys = raw.prepare("SELECT key FROM node_keys").pluck().all() as number[];
  const insert = raw.prepare("INSERT OR IGNORE INTO probes (node_key, at, ok, cause, latency_ms, height, protocol_version) VALUES (?, ?, 1, NULL, ?, 2500000, 90034)");
  raw.transaction(() => {
    for (const k of keys) for (let i = 0; i < perNodeHour; i++) insert.run(k, hour + Math.floor((i * 3_600_000) / perNodeHour) + (k % 1000), 1 + (k % 5));
  })();
  raw.close();
  const before = tableStats(copyPath);
  const store = openSqliteStore(copyPath);
  const t = performance.now();
  const r = await store.probes.compact(now - 7 * 86_400_000, now - 365 * 86_400_000);
  const ms = performance.now() - t;
  store.close();
  const after = tableStats(copyPath);
  const hours = after.tables["probe_hours"]!;
  const probes = before.tables["probes"]!;
  return {
    rawRowsRolled: r.rolledUp,
    ms,
    rollupRows: hours.rows,
    rollupBytesPerRow: hours.rows === 0 ? NaN : hours.bytes / hours.rows,
    rawBytesPerRow: probes.rows === 0 ? NaN : probes.bytes / probes.rows,
  };
}
