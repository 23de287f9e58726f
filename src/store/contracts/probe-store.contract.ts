import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ProbeStore } from "../../watch/ports.ts";
import { rejectsWith, withStore, type MakeStore } from "./harness.ts";
import { HOUR, minutes, MINUTE, probe, T0 } from "./samples.ts";

/** The ProbeStore contract: every implementation must pass it unchanged. */
export function probeStoreContract(name: string, make: MakeStore<ProbeStore>): void {
  const test = (title: string, fn: (s: ProbeStore) => Promise<void>) => it(title, () => withStore(make, fn));

  describe(`ProbeStore contract: ${name}`, () => {
    test("returns nothing for a node it has never seen", async (s) => {
      assert.deepEqual(await s.recentProbes("nobody", 10), []);
      assert.deepEqual(await s.uptime("nobody", T0, T0 + HOUR), { up: 0, total: 0, avgLatencyMs: null });
      assert.deepEqual(await s.series("nobody", T0, T0 + 2 * HOUR, HOUR), [
        { at: T0, up: 0, total: 0, avgLatencyMs: null },
        { at: T0 + HOUR, up: 0, total: 0, avgLatencyMs: null },
      ]);
    });

    test("returns the newest probes first, at most limit, with every field kept", async (s) => {
      await s.appendProbes([probe("a", T0), probe("a", T0 + 2 * MINUTE, { ok: false }), probe("a", T0 + MINUTE), probe("b", T0 + 3 * MINUTE)]);
      assert.deepEqual(await s.recentProbes("a", 2), [probe("a", T0 + 2 * MINUTE, { ok: false }), probe("a", T0 + MINUTE)]);
      assert.equal((await s.recentProbes("a", 10)).length, 3);
      assert.deepEqual(await s.recentProbes("a", 0), []);
      assert.deepEqual(await s.recentProbes("b", 10), [probe("b", T0 + 3 * MINUTE)]);
    });

    test("knows each node's newest probe and newest good probe", async (s) => {
      assert.deepEqual(await s.latestTimes("a"), { probeAt: null, goodAt: null });
      await s.appendProbes([probe("a", T0), probe("a", T0 + 2 * MINUTE, { ok: false }), probe("a", T0 + MINUTE), probe("b", T0 + 3 * MINUTE, { ok: false })]);
      assert.deepEqual(await s.latestTimes("a"), { probeAt: T0 + 2 * MINUTE, goodAt: T0 + MINUTE });
      assert.deepEqual(await s.latestTimes("b"), { probeAt: T0 + 3 * MINUTE, goodAt: null });
    });

    test("appends an empty batch as a no-op", async (s) => {
      await s.appendProbes([]);
      assert.deepEqual(await s.recentProbes("a", 10), []);
    });

    test("replaces a probe appended again for the same node and time", async (s) => {
      await s.appendProbes([probe("a", T0, { ok: false })]);
      await s.appendProbes([probe("a", T0, { latencyMs: 55 })]);
      assert.deepEqual(await s.recentProbes("a", 10), [probe("a", T0, { latencyMs: 55 })]);
      assert.equal((await s.uptime("a", T0, T0 + 1)).total, 1);
    });

    test("keeps latency to the whole millisecond", async (s) => {
      await s.appendProbes([probe("a", T0, { latencyMs: 41.6 })]);
      assert.equal((await s.recentProbes("a", 1))[0]?.latencyMs, 42);
    });

    test("refuses a batch with a fractional or negative time and stores none of it", async (s) => {
      await rejectsWith(s.appendProbes([probe("a", T0), probe("a", T0 + 0.5)]), "invalid-argument");
      await rejectsWith(s.appendProbes([probe("a", T0), probe("a", -1)]), "invalid-argument");
      assert.deepEqual(await s.recentProbes("a", 10), []);
    });

    test("counts uptime and mean latency over [since, until) of raw probes", async (s) => {
      await s.appendProbes(minutes("a", T0, 10, (i) => i === 3 || i === 4));
      assert.deepEqual(await s.uptime("a", T0, T0 + 10 * MINUTE), { up: 8, total: 10, avgLatencyMs: 40 });
      assert.deepEqual(await s.uptime("a", T0 + 3 * MINUTE, T0 + 5 * MINUTE), { up: 0, total: 2, avgLatencyMs: null });
      assert.equal((await s.uptime("a", T0 + MINUTE, T0 + 2 * MINUTE)).total, 1, "since is included, until is not");
      assert.equal((await s.uptime("a", T0 + MINUTE, T0 + MINUTE)).total, 0);
    });

    test("rolls raw probes older than rawBefore into hourly rows and deletes them", async (s) => {
      await s.appendProbes(minutes("a", T0, 180, (i) => i % 10 === 0));
      const before = await s.uptime("a", T0, T0 + 3 * HOUR);
      assert.deepEqual(await s.compact(T0 + 2 * HOUR, 0), { rolledUp: 120, deleted: 0 });
      assert.equal((await s.recentProbes("a", 1000)).length, 60);
      assert.deepEqual(await s.uptime("a", T0, T0 + 3 * HOUR), before);
      assert.deepEqual(await s.uptime("a", T0, T0 + 3 * HOUR), { up: 162, total: 180, avgLatencyMs: 40 });
    });

    test("counts the same after compacting twice", async (s) => {
      await s.appendProbes([...minutes("a", T0, 120), ...minutes("b", T0, 120, () => true)]);
      await s.compact(T0 + 2 * HOUR, 0);
      assert.deepEqual(await s.compact(T0 + 2 * HOUR, 0), { rolledUp: 0, deleted: 0 });
      assert.deepEqual(await s.uptime("a", T0, T0 + 2 * HOUR), { up: 120, total: 120, avgLatencyMs: 40 });
      assert.deepEqual(await s.uptime("b", T0, T0 + 2 * HOUR), { up: 0, total: 120, avgLatencyMs: null });
    });

    test("merges an hour cut in two by rawBefore into one hourly row", async (s) => {
      await s.appendProbes(minutes("a", T0, 60, (i) => i >= 50));
      assert.equal((await s.compact(T0 + 30 * MINUTE, 0)).rolledUp, 30);
      assert.equal((await s.compact(T0 + HOUR, 0)).rolledUp, 30);
      assert.deepEqual(await s.recentProbes("a", 10), []);
      assert.deepEqual(await s.series("a", T0, T0 + HOUR, HOUR), [{ at: T0, up: 50, total: 60, avgLatencyMs: 40 }]);
    });

    test("rolls up a probe that arrives late for an hour already rolled up", async (s) => {
      await s.appendProbes(minutes("a", T0, 30));
      await s.compact(T0 + HOUR, 0);
      await s.appendProbes([probe("a", T0 + 45 * MINUTE, { ok: false })]);
      await s.compact(T0 + HOUR, 0);
      assert.deepEqual(await s.uptime("a", T0, T0 + HOUR), { up: 30, total: 31, avgLatencyMs: 40 });
    });

    test("deletes hourly rows whose whole hour is before rollupBefore", async (s) => {
      await s.appendProbes(minutes("a", T0, 240));
      await s.compact(T0 + 4 * HOUR, 0);
      assert.deepEqual(await s.compact(T0 + 4 * HOUR, T0 + 2 * HOUR + 30 * MINUTE), { rolledUp: 0, deleted: 2 });
      assert.deepEqual(await s.uptime("a", T0, T0 + 4 * HOUR), { up: 120, total: 120, avgLatencyMs: 40 });
    });

    test("drops raw probes older than rollupBefore altogether", async (s) => {
      await s.appendProbes([...minutes("a", T0, 120), ...minutes("a", T0 + 2 * HOUR, 10)]);
      assert.deepEqual(await s.compact(T0 + 2 * HOUR, T0 + HOUR), { rolledUp: 120, deleted: 1 });
      assert.deepEqual(await s.uptime("a", T0, T0 + 3 * HOUR), { up: 70, total: 70, avgLatencyMs: 40 });
    });

    test("counts a rollup in the series bucket where its hour starts, next to raw probes", async (s) => {
      await s.appendProbes(minutes("a", T0, 180, (i) => i < 6));
      await s.compact(T0 + 2 * HOUR, 0);
      assert.deepEqual(await s.series("a", T0, T0 + 3 * HOUR, HOUR), [
        { at: T0, up: 54, total: 60, avgLatencyMs: 40 },
        { at: T0 + HOUR, up: 60, total: 60, avgLatencyMs: 40 },
        { at: T0 + 2 * HOUR, up: 60, total: 60, avgLatencyMs: 40 },
      ]);
      assert.deepEqual(await s.series("a", T0 + 30 * MINUTE, T0 + 2 * HOUR, HOUR), [
        { at: T0 + 30 * MINUTE, up: 60, total: 60, avgLatencyMs: 40 },
        { at: T0 + 90 * MINUTE, up: 0, total: 0, avgLatencyMs: null },
      ]);
    });

    test("returns every bucket of a series, the last one cut at until, empty ones with total 0", async (s) => {
      await s.appendProbes([probe("a", T0 + MINUTE, { latencyMs: 10 }), probe("a", T0 + 2 * MINUTE, { latencyMs: 21 }), probe("a", T0 + 25 * MINUTE)]);
      assert.deepEqual(await s.series("a", T0, T0 + 25 * MINUTE, 10 * MINUTE), [
        { at: T0, up: 2, total: 2, avgLatencyMs: 15.5 },
        { at: T0 + 10 * MINUTE, up: 0, total: 0, avgLatencyMs: null },
        { at: T0 + 20 * MINUTE, up: 0, total: 0, avgLatencyMs: null },
      ]);
      assert.deepEqual(await s.series("a", T0, T0, 10 * MINUTE), []);
    });

    test("refuses a series bucket that is not a positive whole number of ms", async (s) => {
      await rejectsWith(s.series("a", T0, T0 + HOUR, 0), "invalid-argument");
      await rejectsWith(s.series("a", T0, T0 + HOUR, 1.5), "invalid-argument");
      await rejectsWith(s.series("a", 0, T0, 1), "invalid-argument");
    });

    it("appends 10,000 probes in one batch", (t) =>
      withStore(make, async (s) => {
      const batch = Array.from({ length: 10_000 }, (_, i) => probe(`node-${i % 2000}`, T0 + Math.floor(i / 2000) * MINUTE));
      const started = performance.now();
      await s.appendProbes(batch);
      const ms = performance.now() - started;
      t.diagnostic(`${name}: appendProbes of 10,000 probes (2,000 nodes) took ${ms.toFixed(1)} ms`);
      assert.equal((await s.recentProbes("node-1999", 10)).length, 5);
    }));
  });
}
