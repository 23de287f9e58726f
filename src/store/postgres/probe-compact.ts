import { checkTime } from "../arguments.ts";
import { HOUR_MS } from "../buckets.ts";
import type { Db } from "./db.ts";

/**
 * Compaction, one transaction. Raw probes older than `rawBefore` are deleted and added into their
 * hour's row by ONE statement (DELETE … RETURNING feeding the INSERT): what is counted is exactly
 * what was deleted, even while watchers append late probes, and a second compaction running at
 * the same time (two leaders for a moment) finds the rows gone instead of counting them again.
 * An hour cut in two by `rawBefore` is merged into its row, never overwritten. Then rollups whose
 * whole hour lies before `rollupBefore` are deleted. Both deletes find their rows through the BRIN
 * indexes on time. Returns raw probes rolled up and hourly rows deleted.
 */
const ROLL_UP = `WITH gone AS (
    DELETE FROM probes WHERE at < $1::bigint RETURNING node_key, at, ok, latency_ms
  ), rolled AS (
    INSERT INTO probe_hours (node_key, hour, up, total, latency_sum, latency_count)
    SELECT node_key, at - at % ${HOUR_MS} AS h, count(*) FILTER (WHERE ok), count(*), COALESCE(sum(latency_ms), 0), count(latency_ms)
    FROM gone GROUP BY node_key, h
    ON CONFLICT (node_key, hour) DO UPDATE SET up = probe_hours.up + excluded.up, total = probe_hours.total + excluded.total,
      latency_sum = probe_hours.latency_sum + excluded.latency_sum, latency_count = probe_hours.latency_count + excluded.latency_count
  )
  SELECT count(*) AS n FROM gone`;

export async function compactProbes(db: Db, rawBefore: number, rollupBefore: number): Promise<{ rolledUp: number; deleted: number }> {
  checkTime("rawBefore", rawBefore);
  checkTime("rollupBefore", rollupBefore);
  const last = rollupBefore - HOUR_MS;
  return db.write(async (q) => {
    const rolledUp = (await q<{ n: number }>(ROLL_UP, [rawBefore])).rows[0]?.n ?? 0;
    const deleted = last < 0 ? 0 : ((await q("DELETE FROM probe_hours WHERE hour <= $1::bigint", [last])).rowCount ?? 0);
    return { rolledUp, deleted };
  });
}
