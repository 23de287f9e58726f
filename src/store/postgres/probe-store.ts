import { LOCAL_VANTAGE } from "../../fleet/ports.ts";
import type { ProbeStore } from "../../watch/ports.ts";
import { checkLimit, checkRange } from "../arguments.ts";
import { addTally, bucketCount, emptyTally, toSeries, toSummary, type Tally } from "../buckets.ts";
import { normalizeProbe } from "../probe-record.ts";
import type { Db } from "./db.ts";
import { appendRows, checkVantage } from "./probe-append.ts";
import { compactProbes } from "./probe-compact.ts";

/**
 * Raw probes in `probes` (node, time, vantage), hourly rollups in `probe_hours` (node, hour).
 * Reads take every vantage's probes together: a node's history is what all watchers saw of it.
 */

interface ProbeRow {
  at: number;
  ok: boolean;
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

const NODE_KEY = "(SELECT key FROM node_keys WHERE node_id = $1::text)";

/** Raw and rolled-up tallies per bucket in one statement, so one snapshot: a compaction in between cannot count a probe twice. */
const BUCKETS = `
  SELECT (at - $2::bigint) / $4::bigint AS b, count(*) FILTER (WHERE ok) AS up, count(*) AS total,
         COALESCE(sum(latency_ms), 0)::bigint AS latency_sum, count(latency_ms) AS latency_count
  FROM probes WHERE node_key = ${NODE_KEY} AND at >= $2::bigint AND at < $3::bigint GROUP BY 1
  UNION ALL
  SELECT (hour - $2::bigint) / $4::bigint AS b, sum(up)::bigint, sum(total)::bigint, sum(latency_sum)::bigint, sum(latency_count)::bigint
  FROM probe_hours WHERE node_key = ${NODE_KEY} AND hour >= $2::bigint AND hour < $3::bigint GROUP BY 1`;

export function postgresProbeStore(db: Db): ProbeStore {
  const buckets = async (nodeId: string, since: number, until: number, bucket: number): Promise<Map<number, Tally>> => {
    const byBucket = new Map<number, Tally>();
    for (const row of (await db.query<TallyRow>(BUCKETS, [nodeId, since, until, bucket])).rows) {
      const t = byBucket.get(row.b) ?? emptyTally();
      addTally(t, { up: row.up, total: row.total, latencySum: row.latency_sum, latencyCount: row.latency_count });
      byBucket.set(row.b, t);
    }
    return byBucket;
  };

  return {
    async appendProbes(batch, vantage = LOCAL_VANTAGE) {
      checkVantage(vantage);
      const rows = batch.map(normalizeProbe);
      if (rows.length === 0) return;
      await db.write((q) => appendRows(q, rows, vantage));
    },

    async recentProbes(nodeId, limit) {
      checkLimit(limit);
      const { rows } = await db.query<ProbeRow>(
        `SELECT at, ok, cause, latency_ms, height, protocol_version FROM probes WHERE node_key = ${NODE_KEY}
         ORDER BY at DESC, vantage_key LIMIT $2`,
        [nodeId, limit],
      );
      return rows.map((r) => ({ nodeId, at: r.at, ok: r.ok, cause: r.cause, latencyMs: r.latency_ms, height: r.height, protocolVersion: r.protocol_version }));
    },

    async latestTimes(nodeId) {
      const { rows } = await db.query<{ probe_at: number | null; good_at: number | null }>(
        `SELECT (SELECT max(at) FROM probes WHERE node_key = k.key) AS probe_at,
                (SELECT max(at) FROM probes WHERE node_key = k.key AND ok) AS good_at
         FROM node_keys k WHERE k.node_id = $1`,
        [nodeId],
      );
      return { probeAt: rows[0]?.probe_at ?? null, goodAt: rows[0]?.good_at ?? null };
    },

    async uptime(nodeId, since, until) {
      checkRange(since, until);
      if (until <= since) return toSummary(emptyTally());
      // One bucket spanning the whole range.
      return toSummary((await buckets(nodeId, since, until, until - since)).get(0) ?? emptyTally());
    },

    async series(nodeId, since, until, bucketMs) {
      checkRange(since, until);
      const count = bucketCount(since, until, bucketMs);
      const byBucket = count === 0 ? new Map<number, Tally>() : await buckets(nodeId, since, until, bucketMs);
      return toSeries(since, bucketMs, count, byBucket);
    },

    async compact(rawBefore, rollupBefore) {
      return compactProbes(db, rawBefore, rollupBefore);
    },
  };
}
