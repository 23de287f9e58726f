import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "../../core/errors.ts";
import { Pacer } from "./pacer.ts";
import { TestClock } from "./test-clock.ts";

/** The most timestamps found in any window [t, t + 1000). */
function maxPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("Pacer", () => {
  it("spaces a burst of concurrent callers evenly, with no burst at the start", async () => {
    const clock = new TestClock();
    const pacer = new Pacer({ clock, maxRequestsPerSecond: 28 });
    const start = clock.now();
    const sent: number[] = [];
    const all = Array.from({ length: 60 }, () => pacer.take().then(() => sent.push(clock.now())));
    await clock.runAll();
    await Promise.all(all);
    assert.equal(sent.length, 60);
    assert.equal(sent[0], start, "the first request goes at once");
    for (let i = 1; i < sent.length; i++) {
      assert.ok((sent[i] ?? 0) - (sent[i - 1] ?? 0) >= 1000 / 28 - 1e-9, `gap before request ${i}`);
    }
    assert.ok(maxPerSecond(sent) <= 28, `at most 28 in any second, saw ${maxPerSecond(sent)}`);
  });

  it("does not wait when requests are already further apart than the interval", async () => {
    const clock = new TestClock();
    const pacer = new Pacer({ clock, maxRequestsPerSecond: 10 });
    await pacer.take();
    await clock.advance(500);
    await pacer.take();
    assert.equal(clock.pending, 0);
    assert.deepEqual(clock.sleeps, []);
  });

  it("holds every caller, including ones already waiting, until a pause ends", async () => {
    const clock = new TestClock();
    const pacer = new Pacer({ clock, maxRequestsPerSecond: 20 });
    const t0 = clock.now();
    await pacer.take();
    const sent: number[] = [];
    const waiting = [pacer.take(), pacer.take()].map((p) => p.then(() => sent.push(clock.now())));
    pacer.pauseUntil(t0 + 2000);
    await clock.runAll();
    await Promise.all(waiting);
    assert.deepEqual(sent, [t0 + 2000, t0 + 2050]);
  });

  it("never shortens a pause", () => {
    const pacer = new Pacer({ clock: new TestClock() });
    pacer.pauseUntil(5000);
    pacer.pauseUntil(1000);
    assert.equal(pacer.pausedUntilMs, 5000);
  });

  it("stops waiting when the caller aborts", async () => {
    const clock = new TestClock();
    const pacer = new Pacer({ clock, maxRequestsPerSecond: 1 });
    await pacer.take();
    const ac = new AbortController();
    const p = pacer.take(ac.signal);
    ac.abort(new Error("stop"));
    await assert.rejects(p, /stop/);
  });

  it("refuses a rate at or above Vultr's 30 per second", () => {
    for (const rps of [30, 31, 0, -1, Number.NaN]) {
      assert.throws(() => new Pacer({ clock: new TestClock(), maxRequestsPerSecond: rps }), (e: unknown) => e instanceof AppError && e.code === "CONFIG_INVALID");
    }
    assert.equal(new Pacer({ clock: new TestClock() }).intervalMs, 1000 / 28);
  });
});
