import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEADLINE_RESOLUTION_MS, deadline } from "./deadlines.ts";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("swept deadlines", () => {
  it("fires once, and never early", async () => {
    const started = performance.now();
    const fired: number[] = [];
    deadline(120, () => fired.push(performance.now() - started));
    for (let i = 0; i < 100 && fired.length === 0; i++) await wait(DEADLINE_RESOLUTION_MS);
    assert.equal(fired.length, 1, "fired within 5 s");
    assert.ok(fired[0]! >= 120, `fired after ${fired[0]} ms`);
    await wait(4 * DEADLINE_RESOLUTION_MS);
    assert.equal(fired.length, 1, "once only");
  });

  it("does not fire once cancelled, and restart counts again from now", async () => {
    // Only lower bounds on time: a loaded machine runs timers late, which must not make this lie.
    let cancelled = 0;
    const fired: number[] = [];
    const started = performance.now();
    const since = () => performance.now() - started;
    const a = deadline(1200, () => cancelled++);
    const b = deadline(600, () => fired.push(since()));
    await wait(400);
    a.cancel();
    const restartedAt = since();
    b.restart();
    await wait(1450 - since());
    assert.equal(fired.length, 1);
    assert.ok(fired[0]! >= restartedAt + 600, `fired at ${fired[0]!.toFixed(0)} ms, restarted at ${restartedAt.toFixed(0)} ms: due 600 ms after the restart, not at 600 ms`);
    assert.equal(cancelled, 0, "cancelled before its time, it never fires");
    b.restart();
    await wait(600 + 3 * DEADLINE_RESOLUTION_MS);
    assert.equal(fired.length, 1, "a fired deadline stays fired");
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
