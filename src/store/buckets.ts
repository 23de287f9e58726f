import type { SeriesPoint, UptimeSummary } from "../watch/ports.ts";
import { StoreError } from "./errors.ts";

/**
 * How raw probes and hourly rollups are counted into a summary or a series, the same in every
 * implementation. A raw probe counts where its `at` falls; an hourly rollup counts as a whole where
 * its hour starts (so a range that starts mid-hour in the rolled-up past takes that hour or not by
 * its start). Raw and rolled-up probes never overlap: compaction deletes what it rolls up.
 */

export const HOUR_MS = 3_600_000;
/** A series longer than this is refused: it is a caller's mistake, not a chart. */
export const MAX_SERIES_POINTS = 100_000;

export interface Tally {
  up: number;
  total: number;
  latencySum: number;
  latencyCount: number;
}

export function emptyTally(): Tally {
  return { up: 0, total: 0, latencySum: 0, latencyCount: 0 };
}

export function addTally(into: Tally, t: Tally): void {
  into.up += t.up;
  into.total += t.total;
  into.latencySum += t.latencySum;
  into.latencyCount += t.latencyCount;
}

export function hourStart(at: number): number {
  return at - (at % HOUR_MS);
}

export function toSummary(t: Tally): UptimeSummary {
  return { up: t.up, total: t.total, avgLatencyMs: t.latencyCount === 0 ? null : t.latencySum / t.latencyCount };
}

/** Number of buckets of [since, until); throws on a bucket size that is not a positive whole ms. */
export function bucketCount(since: number, until: number, bucketMs: number): number {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) {
    throw new StoreError("invalid-argument", `series bucket must be a whole number of ms > 0, got ${bucketMs}`);
  }
  if (until <= since) return 0;
  const n = Math.ceil((until - since) / bucketMs);
  if (n > MAX_SERIES_POINTS) {
    throw new StoreError("invalid-argument", `series of ${n} points asked (bucket ${bucketMs} ms); at most ${MAX_SERIES_POINTS} — use a larger bucket`);
  }
  return n;
}

/** Every bucket of the range, empty ones included (total 0: no data, which is not "down"). */
export function toSeries(since: number, bucketMs: number, count: number, byBucket: ReadonlyMap<number, Tally>): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let i = 0; i < count; i++) {
    const t = byBucket.get(i) ?? emptyTally();
    points.push({ at: since + i * bucketMs, ...toSummary(t) });
  }
  return points;
}
