import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assessVantages, liveNames, trackLiveness, type LivenessChange, type LivenessMemory } from "./liveness.ts";
import type { VantageRecord } from "./ports.ts";

const T0 = Date.UTC(2026, 0, 5, 10);
const INTERVAL = 60_000;
const LOST_AFTER = 2 * INTERVAL;

function beat(name: string, seenAt: number, over: Partial<VantageRecord> = {}): VantageRecord {
  return { name, region: "r", holder: `${name}/run-1`, startedAt: T0 - 3_600_000, seenAt, healthy: true, detail: null, ...over };
}

/** The kinds and names of the changes, for short assertions. */
function kinds(changes: readonly LivenessChange[]): string[] {
  return changes.map((c) => `${c.kind} ${c.vantage.name}`);
}

describe("assessVantages", () => {
  it("counts a vantage live while its heartbeat is at most 2 intervals old and its self-check passes", () => {
    const now = T0;
    const a = assessVantages(
      [
        beat("ams-1", now - LOST_AFTER),
        beat("fra-1", now - LOST_AFTER - 1),
        beat("sgp-1", now - 1000, { healthy: false, detail: "every node fails: its own uplink is down" }),
        beat("lax-1", now + LOST_AFTER + 1),
        beat("nyc-1", now + 5000),
      ],
      now,
      LOST_AFTER,
    );
    assert.deepEqual(
      a.map((v) => [v.name, v.live, v.why]),
      [
        ["ams-1", true, null],
        ["fra-1", false, "silent"],
        ["sgp-1", false, "unhealthy"],
        ["lax-1", false, "silent"],
        ["nyc-1", true, null],
      ],
    );
    assert.equal(a[2]!.detail, "every node fails: its own uplink is down");
    assert.deepEqual([...liveNames(a)], ["ams-1", "nyc-1"]);
  });

  it("calls a silent vantage silent even when its last word was unhealthy", () => {
    const [v] = assessVantages([beat("fra-1", T0 - 3 * INTERVAL, { healthy: false })], T0, LOST_AFTER);
    assert.equal(v!.why, "silent");
  });
});

describe("trackLiveness", () => {
  it("says lost once and back once as a vantage goes silent and returns", () => {
    let memory: LivenessMemory = new Map();
    const seen: string[] = [];
    const step = (records: VantageRecord[], now: number) => {
      const r = trackLiveness(memory, assessVantages(records, now, LOST_AFTER), now);
      memory = r.memory;
      seen.push(...kinds(r.changes));
      return r.changes;
    };
    step([beat("fra-1", T0), beat("sgp-1", T0)], T0);
    assert.deepEqual(seen, [], "vantages first seen live are news to nobody");
    step([beat("fra-1", T0 + INTERVAL), beat("sgp-1", T0)], T0 + INTERVAL);
    step([beat("fra-1", T0 + 3 * INTERVAL), beat("sgp-1", T0)], T0 + 3 * INTERVAL);
    step([beat("fra-1", T0 + 4 * INTERVAL), beat("sgp-1", T0)], T0 + 4 * INTERVAL);
    assert.deepEqual(seen, ["lost sgp-1"], "lost once, not at every pass");
    step([beat("fra-1", T0 + 5 * INTERVAL), beat("sgp-1", T0 + 5 * INTERVAL, { healthy: false })], T0 + 5 * INTERVAL);
    assert.deepEqual(seen, ["lost sgp-1"], "back from silent but unhealthy: still lost, nothing new");
    const back = step([beat("fra-1", T0 + 6 * INTERVAL), beat("sgp-1", T0 + 6 * INTERVAL)], T0 + 6 * INTERVAL);
    assert.deepEqual(seen, ["lost sgp-1", "back sgp-1"]);
    assert.deepEqual(back[0]?.kind === "back" && [back[0].at, back[0].lostSince], [T0 + 6 * INTERVAL, T0 + 3 * INTERVAL]);
    step([beat("fra-1", T0 + 7 * INTERVAL), beat("sgp-1", T0 + 7 * INTERVAL)], T0 + 7 * INTERVAL);
    assert.deepEqual(seen, ["lost sgp-1", "back sgp-1"]);
  });

  it("reports a vantage first seen already lost, so a new leader does not stay quiet about it", () => {
    const r = trackLiveness(new Map(), assessVantages([beat("fra-1", T0 - 10 * INTERVAL), beat("sgp-1", T0)], T0, LOST_AFTER), T0);
    assert.deepEqual(kinds(r.changes), ["lost fra-1"]);
    assert.deepEqual(r.changes[0]?.vantage.holder, "fra-1/run-1");
  });

  it("forgets a vantage no longer listed without a word, and treats its return as new", () => {
    const first = trackLiveness(new Map(), assessVantages([beat("fra-1", T0 - 10 * INTERVAL)], T0, LOST_AFTER), T0);
    const gone = trackLiveness(first.memory, [], T0 + INTERVAL);
    assert.deepEqual(gone.changes, []);
    assert.equal(gone.memory.size, 0);
    const again = trackLiveness(gone.memory, assessVantages([beat("fra-1", T0 + 2 * INTERVAL)], T0 + 2 * INTERVAL, LOST_AFTER), T0 + 2 * INTERVAL);
    assert.deepEqual(again.changes, [], "no 'back' for a vantage it does not remember as lost");
  });

  it("leaves the memory it was given unchanged", () => {
    const memory: LivenessMemory = new Map([["fra-1", { live: true, since: T0 }]]);
    trackLiveness(memory, assessVantages([beat("fra-1", T0 - 10 * INTERVAL)], T0, LOST_AFTER), T0);
    assert.deepEqual([...memory], [["fra-1", { live: true, since: T0 }]]);
  });
});
