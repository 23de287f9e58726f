import type Database from "better-sqlite3";
import { LOCAL_VANTAGE } from "../../fleet/ports.ts";
import type { ProbeRecord } from "../../watch/model.ts";
import type { ProbeStore } from "../../watch/ports.ts";
import { checkLimit, checkRange } from "../arguments.ts";
import { addTally, bucketCount, emptyTally, toSeries, toSummary, type Tally } from "../buckets.ts";
import { normalizeProbe } from "../probe-record.ts";
import { checkVantageName } from "../vantage-record.ts";
import type { SqliteLatestProbes } from "./latest-probes.ts";
import type { NodeKeys } from "./node-keys.ts";
import { compactProbes } from "./probe-compact.ts";

/**
 * Raw probes in `probes`, hourly rollups in `probe_hours`; both keyed (node_key, time). Each
 * appended result also updates its (node, vantage)'s newest result in `probe_latest`, in the same
 * transaction, so the change feed never shows a result the raw history lacks (or the reverse).
 */

interface ProbeRow {
  at: number;
  ok: number;
  cause: string | null;
  latency_ms: number | null;
  height: number | null;
  protocol_version: number | null;
}

interface TallyRow {
  b: number;
  up: number;
  total: number;
  latency_sum: number;
  latency_count: number;
}

interface RangeArgs {
  key: number;
  since: number;
  until: number;
  bucket: number;
}

const RAW_TALLY = "SUM(ok) AS up, COUNT(*) AS total, COALESCE(SUM(latency_ms), 0) AS latency_sum, COUNT(latency_ms) AS latency_count";
const HOUR_TALLY = "SUM(up) AS up, SUM(total) AS total, SUM(latency_sum) AS latency_sum, SUM(latency_count) AS latency_count";
/** Integer division on INTEGERs: better-sqlite3 binds JS numbers as REAL, hence the casts. */
const BUCKET = (col: string) => `(${col} - CAST(@since AS INTEGER)) / CAST(@bucket AS INTEGER)`;

export function sqliteProbeStore(db: Database.Database, keys: NodeKeys, latest: Pick<SqliteLatestProbes, "upsert">): ProbeStore {
  const insert = db.prepare<[number, number, number, string | null, number | null, number | null, number | null]>(
    `INSERT INTO probes (node_key, at, ok, cause, latency_ms, height, protocol_version) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (node_key, at) DO UPDATE SET ok = excluded.ok, cause = excluded.cause, latency_ms = excluded.latency_ms,
       height = excluded.height, protocol_version = excluded.protocol_version`,
  );
  const recent = db.prepare<[number, number], ProbeRow>(
    "SELECT at, ok, cause, latency_ms, height, protocol_version FROM probes WHERE node_key = ? ORDER BY at DESC LIMIT ?",
  );
  const newest = db.prepare<[number], number>("SELECT at FROM probes WHERE node_key = ? ORDER BY at DESC LIMIT 1").pluck();
  const newestOk = db.prepare<[number], number>("SELECT at FROM probes WHERE node_key = ? AND ok = 1 ORDER BY at DESC LIMIT 1").pluck();
  const rawBuckets = db.prepare<RangeArgs, TallyRow>(
    `SELECT ${BUCKET("at")} AS b, ${RAW_TALLY} FROM probes WHERE node_key = @key AND at >= @since AND at < @until GROUP BY b`,
  );
  const hourBuckets = db.prepare<RangeArgs, TallyRow>(
    `SELECT ${BUCKET("hour")} AS b, ${HOUR_TALLY} FROM probe_hours WHERE node_key = @key AND hour >= @since AND hour < @until GROUP BY b`,
  );

  const append = db.transaction((batch: readonly ProbeRecord[], vantage: string) => {
    const resolved = new Map<string, number>();
    for (const r of batch) {
      let key = resolved.get(r.nodeId);
      if (key === undefined) resolved.set(r.nodeId, (key = keys.ensure(r.nodeId)));
      insert.run(key, r.at, r.ok ? 1 : 0, r.cause, r.latencyMs, r.height, r.protocolVersion);
      latest.upsert(key, vantage, r);
    }
    return resolved;
  });

  /** Both tables read in one snapshot, so a compaction by another process cannot count twice. */
  const buckets = db.transaction((args: RangeArgs) => {
    const byBucket = new Map<number, Tally>();
    for (const row of [...rawBuckets.all(args), ...hourBuckets.all(args)]) {
      const t = byBucket.get(row.b) ?? emptyTally();
      addTally(t, { up: row.up, total: row.total, latencySum: row.latency_sum, latencyCount: row.latency_count });
      byBucket.set(row.b, t);
    }
    return byBucket;
  });

  return {
    async appendProbes(batch, vantage = LOCAL_VANTAGE) {
      checkVantageName(vantage);
      const rows = batch.map(normalizeProbe);
      keys.remember(append.immediate(rows, vantage));
    },

    async recentProbes(nodeId, limit) {
      checkLimit(limit);
      const key = keys.find(nodeId);
      if (key === undefined) return [];
      return recent.all(key, limit).map((row) => ({
        nodeId,
        at: row.at,
        ok: row.ok === 1,
        cause: row.cause,
        latencyMs: row.latency_ms,
        height: row.height,
        protocolVersion: row.protocol_version,
      }));
    },

    async latestTimes(nodeId) {
      const key = keys.find(nodeId);
      if (key === undefined) return { probeAt: null, goodAt: null };
      return { probeAt: newest.get(key) ?? null, goodAt: newestOk.get(key) ?? null };
    },

    async uptime(nodeId, since, until) {
      checkRange(since, until);
      const key = keys.find(nodeId);
      if (key === undefined || until <= since) return toSummary(emptyTally());
      // One bucket spanning the whole range.
      return toSummary(buckets.deferred({ key, since, until, bucket: until - since }).get(0) ?? emptyTally());
    },

    async series(nodeId, since, until, bucketMs) {
      checkRange(since, until);
      const count = bucketCount(since, until, bucketMs);
      const key = keys.find(nodeId);
      const byBucket = key === undefined || count === 0 ? new Map<number, Tally>() : buckets.deferred({ key, since, until, bucket: bucketMs });
      return toSeries(since, bucketMs, count, byBucket);
    },

    async compact(rawBefore, rollupBefore) {
      return compactProbes(db, keys, rawBefore, rollupBefore);
    },
  };
}
