import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { bucketCount, HOUR_MS, hourStart, MAX_SERIES_POINTS, toSeries } from "./buckets.ts";
import { isStoreError } from "./errors.ts";

describe("buckets", () => {
  it("finds the start of the hour a time falls in", () => {
    const h = Date.UTC(2026, 0, 5, 10);
    for (const [at, want] of [[h, h], [h + 1, h], [h + HOUR_MS - 1, h], [h + HOUR_MS, h + HOUR_MS]] as const) assert.equal(hourStart(at), want);
  });

  it("counts the buckets of a range, the last one possibly cut short", () => {
    for (const [since, until, bucket, want] of [[0, 60, 10, 6], [0, 61, 10, 7], [5, 5, 10, 0], [9, 5, 10, 0]] as const) {
      assert.equal(bucketCount(since, until, bucket), want, `${since}..${until} by ${bucket}`);
    }
  });

  it("refuses a bucket that is not a positive whole number and a series too long to draw", () => {
    for (const bucket of [0, -1, 0.5, Number.NaN]) assert.throws(() => bucketCount(0, 10, bucket), (e: unknown) => isStoreError(e, "invalid-argument"));
    assert.equal(bucketCount(0, MAX_SERIES_POINTS, 1), MAX_SERIES_POINTS);
    assert.throws(() => bucketCount(0, MAX_SERIES_POINTS + 1, 1), /at most 100000/);
  });

  it("fills every bucket, empty ones with no latency", () => {
    const tallies = new Map([[1, { up: 1, total: 2, latencySum: 30, latencyCount: 1 }]]);
    assert.deepEqual(toSeries(100, 10, 3, tallies), [
      { at: 100, up: 0, total: 0, avgLatencyMs: null },
      { at: 110, up: 1, total: 2, avgLatencyMs: 30 },
      { at: 120, up: 0, total: 0, avgLatencyMs: null },
    ]);
  });
});
