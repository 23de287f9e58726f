import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NodeWatchState, ProbeRecord } from "./model.ts";
import { initialState, observe, tick, type StateEvent, type WatchThresholds } from "./state.ts";

const T: WatchThresholds = { failuresToDown: 3, successesToUp: 2, escalateAfterMinutes: [20, 40], maxHeightLag: 10, minProtocolVersion: 90034 };
const MIN = 60_000;
const ok = (at: number, over: Partial<ProbeRecord> = {}): ProbeRecord => ({ nodeId: "n1", at, ok: true, cause: null, latencyMs: 5, height: 1000, protocolVersion: 90035, ...over });
const bad = (at: number, cause = "p2p timeout"): ProbeRecord => ({ nodeId: "n1", at, ok: false, cause, latencyMs: null, height: null, protocolVersion: null });

function run(probes: ProbeRecord[], fleet?: number, start: NodeWatchState = initialState("n1")) {
  let s = start;
  const events: StateEvent[] = [];
  const healths: string[] = [];
  for (const p of probes) {
    const step = observe(s, p, T, fleet);
    s = step.state;
    events.push(...step.events);
    healths.push(s.health);
  }
  return { s, events, healths };
}

describe("the node state machine", () => {
  it("goes up → suspect → down after three failures, with the incident starting at the first failure", () => {
    const r = run([ok(0), bad(60_000), bad(75_000), bad(90_000)]);
    assert.deepEqual(r.healths, ["up", "suspect", "suspect", "down"]);
    assert.equal(r.events.length, 1);
    const down = r.events[0];
    assert.ok(down?.kind === "down");
    assert.equal(down.since, 60_000);
    assert.equal(down.lastGoodAt, 0, "the reward clock runs from the last good probe");
    assert.equal(down.incidentId, "n1@60000");
  });

  it("does not alert on a single blip", () => {
    const r = run([ok(0), bad(60_000), ok(75_000), bad(135_000), ok(150_000)]);
    assert.deepEqual(r.healths, ["up", "suspect", "up", "suspect", "up"]);
    assert.deepEqual(r.events, []);
  });

  it("needs two good probes to recover (hysteresis), and a failure while recovering keeps it down", () => {
    const r = run([ok(0), bad(1), bad(2), bad(3), ok(4), bad(5), ok(6), ok(7)]);
    assert.deepEqual(r.healths, ["up", "suspect", "suspect", "down", "recovering", "down", "recovering", "up"]);
    assert.deepEqual(r.events.map((e) => e.kind), ["down", "recovered"]);
    const rec = r.events[1];
    assert.ok(rec?.kind === "recovered");
    assert.equal(rec.downForMs, 7 - 1);
    assert.equal(r.s.incident, null);
  });

  it("raises escalations at 20 and 40 minutes down, each once", () => {
    let { s } = run([ok(0), bad(MIN), bad(2 * MIN), bad(3 * MIN)]);
    const kinds: number[] = [];
    for (const m of [10, 21, 22, 41, 60]) {
      const step = tick(s, MIN + m * MIN, T);
      s = step.state;
      for (const e of step.events) if (e.kind === "escalation") kinds.push(e.minutesDown);
    }
    assert.deepEqual(kinds, [20, 40]);
  });

  it("raises nothing on a tick while up", () => {
    const { s } = run([ok(0)]);
    assert.deepEqual(tick(s, 100 * MIN, T).events, []);
  });

  it("flags a node that lags the fleet or runs an old protocol as degraded, and clears it", () => {
    const lag = run([ok(0, { height: 980 })], 1000);
    assert.equal(lag.s.degraded, "height 980 is 20 blocks behind the fleet (1000)");
    assert.deepEqual(lag.events.map((e) => e.kind), ["degraded"]);
    const old = run([ok(0, { protocolVersion: 90033 })], 1000);
    assert.match(old.s.degraded ?? "", /protocol 90033 is below the network minimum 90034/);
    const cleared = run([ok(0, { height: 980 }), ok(60_000, { height: 1000 })], 1000);
    assert.deepEqual(cleared.events.map((e) => e.kind), ["degraded", "degraded-cleared"]);
    assert.equal(cleared.s.health, "up");
  });

  it("continues an incident across a restart from the saved state", () => {
    const before = run([ok(0), bad(MIN), bad(2 * MIN), bad(3 * MIN)]).s;
    const saved = JSON.parse(JSON.stringify(before)) as NodeWatchState;
    const after = run([bad(4 * MIN), ok(5 * MIN), ok(6 * MIN)], undefined, saved);
    assert.deepEqual(after.events.map((e) => e.kind), ["recovered"]);
    assert.equal(after.events[0]?.kind === "recovered" && after.events[0].incidentId, before.incident?.id);
  });
});
