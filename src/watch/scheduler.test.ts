import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { systemClock } from "../core/clock.ts";
import { steppedClock } from "../core/stepped-clock.test-support.ts";
import { MinHeap } from "./heap.ts";
import type { ProbeRecord } from "./model.ts";
import { Scheduler } from "./scheduler.ts";

const rec = (nodeId: string, ok: boolean): ProbeRecord => ({ nodeId, at: Date.now(), ok, cause: ok ? null : "p2p timeout", latencyMs: 1, height: 1, protocolVersion: 90035 });

describe("MinHeap", () => {
  it("pops in key order", () => {
    const h = new MinHeap<number>();
    for (const k of [5, 3, 9, 1, 7, 1, 4]) h.push(k, k);
    const out: number[] = [];
    for (let x = h.pop(); x !== undefined; x = h.pop()) out.push(x.key);
    assert.deepEqual(out, [1, 1, 3, 4, 5, 7, 9]);
  });
});

describe("the scheduler", () => {
  it("probes every node once per interval, spread over the interval, with no missed slot", async () => {
    const times = new Map<string, number[]>();
    const batches: number[] = [];
    const s = new Scheduler({
      clock: systemClock,
      intervalMs: 300,
      confirmIntervalMs: 100,
      concurrency: 50,
      lateAfterMs: 150,
      probe: async (n: { nodeId: string }) => {
        times.set(n.nodeId, [...(times.get(n.nodeId) ?? []), Date.now()]);
        return rec(n.nodeId, true);
      },
      onResults: async (b) => void batches.push(b.length),
      isFailing: () => false,
    });
    s.setNodes(Array.from({ length: 30 }, (_, i) => ({ nodeId: `n${i}` })));
    const ac = new AbortController();
    const running = s.run(ac.signal);
    await new Promise((r) => setTimeout(r, 1250));
    ac.abort();
    await running;
    for (const [id, ts] of times) assert.ok(ts.length >= 3 && ts.length <= 5, `${id}: ${ts.length} probes`);
    const firsts = [...times.values()].map((ts) => ts[0]! % 300);
    assert.ok(new Set(firsts.map((t) => Math.floor(t / 50))).size >= 4, "slots are spread over the interval");
    assert.equal(s.stats().missed, 0);
    assert.equal(batches.reduce((a, b) => a + b, 0), s.stats().probes, "every result was handed over");
  });

  it("re-probes a failing node at the confirm interval", async () => {
    const count = new Map<string, number>();
    const badTimes: number[] = [];
    const s = new Scheduler({
      clock: systemClock,
      intervalMs: 1000,
      confirmIntervalMs: 50,
      concurrency: 10,
      probe: async (n: { nodeId: string }) => {
        count.set(n.nodeId, (count.get(n.nodeId) ?? 0) + 1);
        if (n.nodeId === "bad") badTimes.push(Date.now());
        return rec(n.nodeId, n.nodeId !== "bad");
      },
      onResults: async () => {},
      isFailing: () => false,
    });
    s.setNodes([{ nodeId: "bad" }, { nodeId: "good" }]);
    const ac = new AbortController();
    const running = s.run(ac.signal);
    await new Promise((r) => setTimeout(r, 2100));
    ac.abort();
    await running;
    assert.ok(badTimes.length >= 4, `bad: ${badTimes.length}`);
    const gaps = badTimes.slice(1).map((t, i) => t - badTimes[i]!);
    assert.ok(gaps.every((g) => g < 200), `gaps between re-probes: ${gaps.join(", ")}`);
    assert.ok((count.get("good") ?? 0) <= 3, `good: ${count.get("good")}`);
  });
});

describe("the scheduler when the system clock is stepped", () => {
  for (const step of [-10 * 60_000, -3 * 3_600_000, 2 * 3_600_000]) {
    it(`keeps every node's slot when the wall clock moves ${step / 60_000} minutes`, async () => {
      const clock = steppedClock();
      const probes: number[] = [];
      const s = new Scheduler({
        clock,
        intervalMs: 200,
        confirmIntervalMs: 100,
        concurrency: 10,
        lateAfterMs: 150,
        probe: async (n: { nodeId: string }) => {
          probes.push(performance.now());
          return rec(n.nodeId, true);
        },
        onResults: async () => {},
        isFailing: () => false,
      });
      s.setNodes(Array.from({ length: 5 }, (_, i) => ({ nodeId: `n${i}` })));
      const ac = new AbortController();
      const running = s.run(ac.signal);
      await new Promise((r) => setTimeout(r, 500));
      const before = probes.length;
      clock.step(step);
      const stepAt = performance.now();
      await new Promise((r) => setTimeout(r, 1000));
      ac.abort();
      await running;
      const after = probes.filter((t) => t > stepAt).length;
      // 5 nodes every 200 ms: about 25 probes in the second after the step, as many as before it per unit of time.
      assert.ok(before >= 5, `before the step: ${before}`);
      assert.ok(after >= 15 && after <= 35, `probes in the second after the step: ${after}`);
      assert.equal(s.stats().missed, 0, "no slot was missed or fired early in a burst");
    });
  }
});
