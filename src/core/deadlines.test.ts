import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEADLINE_RESOLUTION_MS, deadline } from "./deadlines.ts";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("swept deadlines", () => {
  it("fires once, never early and at most one sweep late", async () => {
    const started = performance.now();
    let fired: number[] = [];
    deadline(120, () => fired.push(performance.now() - started));
    await wait(120 + 3 * DEADLINE_RESOLUTION_MS);
    assert.equal(fired.length, 1);
    assert.ok(fired[0]! >= 120, `fired after ${fired[0]} ms`);
    fired = [];
    await wait(2 * DEADLINE_RESOLUTION_MS);
    assert.equal(fired.length, 0, "once only");
  });

  it("does not fire once cancelled, and restart counts again from now", async () => {
    let cancelled = 0;
    let restarted = 0;
    const a = deadline(100, () => cancelled++);
    const b = deadline(150, () => restarted++);
    const started = performance.now();
    await wait(100);
    a.cancel();
    b.restart();
    await wait(100);
    assert.equal(restarted, 0, `restarted at ${(performance.now() - started).toFixed(0)} ms: due 250 ms after the start`);
    await wait(150 + 2 * DEADLINE_RESOLUTION_MS);
    assert.deepEqual([cancelled, restarted], [0, 1]);
    b.restart();
    await wait(150 + 2 * DEADLINE_RESOLUTION_MS);
    assert.equal(restarted, 1, "a fired deadline stays fired");
  });

  it("lets the process exit when nothing is armed", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    const d = deadline(10_000, () => assert.fail("cancelled"));
    assert.equal(timers(), before + 1, "one sweeper while armed");
    d.cancel();
    await wait(DEADLINE_RESOLUTION_MS * 2);
    assert.equal(timers(), before, "the sweeper stopped");
  });
});
