import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { createLogger } from "../core/logger.ts";
import { Redactor } from "../core/redact.ts";
import { SteadyClock } from "../core/steady-clock.ts";
import { ClockWatch, jumpText } from "./clock-watch.ts";

const log = createLogger({ level: "error", pretty: false, redactor: new Redactor(), out: new Writable({ write: (_c, _e, cb) => cb() }) });

/** A system clock the test moves by hand: wall and monotonic advance together, `step` moves the wall only. */
function manual() {
  let wall = Date.UTC(2026, 11, 3, 12);
  let mono = 1_000;
  return {
    clock: { now: () => wall, monotonic: () => mono, sleep: async () => {} },
    advance: (ms: number) => ((wall += ms), (mono += ms)),
    step: (ms: number) => (wall += ms),
  };
}

function setup(quiet = true) {
  const sys = manual();
  const steady = new SteadyClock(sys.clock);
  const notices: string[] = [];
  const watch = new ClockWatch({ clock: steady, toleranceMs: 2_000, quiet: async () => quiet, notice: async (_f, d) => void notices.push(d), log });
  return { sys, steady, notices, watch };
}

describe("the steady clock and the clock watch", () => {
  it("does not move when the system clock is stepped, and says how far the two are apart", () => {
    const t = setup();
    const before = t.steady.now();
    t.sys.advance(1_000);
    t.sys.step(2 * 3_600_000);
    assert.equal(t.steady.now(), before + 1_000);
    assert.equal(t.steady.drift(), 2 * 3_600_000);
  });

  it("alerts a jump once, and adopts the system clock's time once nothing is being timed", async () => {
    const t = setup(false);
    t.sys.step(-10 * 60_000);
    await t.watch.check();
    await t.watch.check();
    assert.deepEqual(t.notices.length, 1);
    assert.match(t.notices[0]!, /jumped back by 10 min/);
    assert.equal(t.steady.drift(), -10 * 60_000, "not realigned while something is timed");
  });

  it("realigns when quiet, and then reports the next jump from there", async () => {
    const t = setup(true);
    t.sys.step(5 * 60_000);
    await t.watch.check();
    assert.equal(t.steady.drift(), 0, "realigned");
    t.sys.step(3_000);
    await t.watch.check();
    assert.deepEqual(t.notices.map((n) => /jumped (\w+) by ([^(]+) \(/.exec(n)?.slice(1, 3)), [["forward", "5 min"], ["forward", "3 s"]]);
  });

  it("lets a small drift pass without an alert", async () => {
    const t = setup(false);
    t.sys.step(1_500);
    await t.watch.check();
    assert.deepEqual(t.notices, []);
  });

  it("never reads earlier than a record from the last run (the clock went back while stopped)", () => {
    const t = setup();
    const future = t.steady.now() + 90_000;
    assert.equal(t.steady.notBefore(future), 90_000);
    assert.equal(t.steady.now(), future);
    assert.equal(t.steady.notBefore(future - 1), 0);
    assert.equal(t.steady.drift(), -90_000, "seen as a jump back at the first check");
  });

  it("rounds a jump's size instead of flooring it", () => {
    assert.deepEqual([jumpText(599_700), jumpText(7_199_600), jumpText(45_400), jumpText(3 * 3_600_000 + 90_000)], ["10 min", "2 h 0 min", "45 s", "3 h 2 min"]);
  });
});
