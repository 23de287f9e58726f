import type Database from "better-sqlite3";
import { checkTime } from "../arguments.ts";
import { HOUR_MS } from "../buckets.ts";
import type { NodeKeys } from "./node-keys.ts";
import { releaseFreePages } from "./vacuum.ts";

/**
 * Compaction, node by node over the (node_key, time) primary keys (never a scan of the whole raw
 * table), in one transaction: raw probes older than `rawBefore` are added into their hour's row
 * and deleted in the same step, so running it twice, or after a crash, never counts a probe twice
 * (an hour cut in two by `rawBefore` is merged, not overwritten). Rollups whose whole hour lies
 * before `rollupBefore` are deleted. Returns raw probes rolled up and hourly rows deleted.
 * Called hourly by the daemon, each run touches one hour of probes per node.
 */
export function compactProbes(
  db: Database.Database,
  keys: NodeKeys,
  rawBefore: number,
  rollupBefore: number,
): { rolledUp: number; deleted: number } {
  checkTime("rawBefore", rawBefore);
  checkTime("rollupBefore", rollupBefore);
  const rollUp = db.prepare<{ key: number; before: number }>(
    `INSERT INTO probe_hours (node_key, hour, up, total, latency_sum, latency_count)
     SELECT node_key, at - at % ${HOUR_MS} AS h, SUM(ok), COUNT(*), COALESCE(SUM(latency_ms), 0), COUNT(latency_ms)
     FROM probes WHERE node_key = @key AND at < @before GROUP BY h
     ON CONFLICT (node_key, hour) DO UPDATE SET up = up + excluded.up, total = total + excluded.total,
       latency_sum = latency_sum + excluded.latency_sum, latency_count = latency_count + excluded.latency_count`,
  );
  const dropRaw = db.prepare<{ key: number; before: number }>("DELETE FROM probes WHERE node_key = @key AND at < @before");
  const dropHours = db.prepare<{ key: number; last: number }>("DELETE FROM probe_hours WHERE node_key = @key AND hour <= @last");

  const run = db.transaction(() => {
    let rolledUp = 0;
    let deleted = 0;
    const last = rollupBefore - HOUR_MS;
    for (const key of keys.all()) {
      rollUp.run({ key, before: rawBefore });
      rolledUp += dropRaw.run({ key, before: rawBefore }).changes;
      if (last >= 0) deleted += dropHours.run({ key, last }).changes;
    }
    return { rolledUp, deleted };
  });
  const result = run.immediate();
  releaseFreePages(db);
  return result;
}
