import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ProbeRecord } from "../watch/model.ts";
import { initialState, observe, type WatchThresholds } from "../watch/state.ts";
import { neededToFail, quorumVerdict, type QuorumInput, type VantageResult } from "./quorum.ts";

const T0 = Date.UTC(2026, 0, 5, 10);
const INTERVAL = 60_000;
const FRESH = 2 * INTERVAL;

function probe(at: number, over: Partial<ProbeRecord> = {}): ProbeRecord {
  const ok = over.ok ?? true;
  return { nodeId: "node-1", at, ok, cause: ok ? null : "p2p timeout", latencyMs: ok ? 40 : null, height: ok ? 2_950_000 : null, protocolVersion: ok ? 90034 : null, ...over };
}

function from(vantage: string, at: number, over: Partial<ProbeRecord> = {}): VantageResult {
  return { ...probe(at, over), vantage };
}

function input(own: ProbeRecord, others: VantageResult[], over: Partial<QuorumInput> = {}): QuorumInput {
  return { own, ownVantage: "local", others, live: new Set(others.map((o) => o.vantage)), freshMs: FRESH, rule: "majority", ...over };
}

describe("quorumVerdict", () => {
  it("with one voter returns the own probe itself, byte for byte", () => {
    const failed = probe(T0 + 7, { ok: false, cause: "sapi 8080 timeout", latencyMs: 41.3, height: 2_950_001, protocolVersion: 90034 });
    const good = probe(T0 + 7, { latencyMs: 12.5 });
    const cases: [string, QuorumInput][] = [
      ["alone, failed", input(failed, [])],
      ["alone, ok", input(good, [])],
      ["the others lost", input(failed, [from("fra-1", T0), from("sgp-1", T0)], { live: new Set() })],
      ["the others' results stale", input(failed, [from("fra-1", T0 + 7 - FRESH - 1)])],
    ];
    for (const [what, i] of cases) {
      const r = quorumVerdict(i);
      assert.equal(JSON.stringify(r.verdict), JSON.stringify(i.own), what);
      assert.notEqual(r.verdict, i.own, `${what}: a copy, not the caller's object`);
      assert.deepEqual([r.votes.length, r.needed], [1, 1], what);
    }
  });

  it("counts a tie as down, as a single watcher always has", () => {
    const ownOk = quorumVerdict(input(probe(T0), [from("fra-1", T0, { ok: false })]));
    assert.equal(ownOk.verdict.ok, false);
    assert.deepEqual([ownOk.failing, ownOk.needed], [1, 1]);
    const four = quorumVerdict(input(probe(T0, { ok: false }), [from("ams-1", T0), from("fra-1", T0, { ok: false }), from("sgp-1", T0)]));
    assert.deepEqual([four.verdict.ok, four.failing, four.needed], [false, 2, 2]);
  });

  it("calls a node down by the majority of the voters, not by one vantage", () => {
    const table: [string, boolean[], boolean][] = [
      // own, fra-1, sgp-1 (true = ok) → verdict ok
      ["only the own vantage fails", [false, true, true], true],
      ["only another vantage fails", [true, false, true], true],
      ["two of three fail", [false, false, true], false],
      ["two others fail", [true, false, false], false],
      ["all fail", [false, false, false], false],
      ["all ok", [true, true, true], true],
    ];
    for (const [what, [own, fra, sgp], ok] of table) {
      const r = quorumVerdict(input(probe(T0, { ok: own }), [from("fra-1", T0 - 1000, { ok: fra }), from("sgp-1", T0 - 2000, { ok: sgp })]));
      assert.equal(r.verdict.ok, ok, what);
      assert.equal(r.needed, 2, what);
    }
  });

  it("with a fixed quorum k needs min(k, voters) failing votes", () => {
    const others = [from("fra-1", T0, { ok: false }), from("sgp-1", T0)];
    assert.equal(quorumVerdict(input(probe(T0), others, { rule: 1 })).verdict.ok, false, "k = 1: any failure");
    assert.equal(quorumVerdict(input(probe(T0), others, { rule: 2 })).verdict.ok, true, "k = 2: one failure is not enough");
    assert.equal(quorumVerdict(input(probe(T0, { ok: false }), others, { rule: 2 })).verdict.ok, false);
    const lost = quorumVerdict(input(probe(T0, { ok: false }), others, { rule: 3, live: new Set(["fra-1"]) }));
    assert.deepEqual([lost.verdict.ok, lost.needed], [false, 2], "k = 3 with two voters left: both");
    assert.equal(neededToFail(5, 1), 1);
    assert.throws(() => neededToFail(0, 3), /whole number ≥ 1/);
    assert.throws(() => neededToFail(1.5, 3), /whole number ≥ 1/);
  });

  it("counts only live vantages with a result within the freshness window of the own probe", () => {
    const r = quorumVerdict(
      input(
        probe(T0),
        [
          from("ams-1", T0 - FRESH, { ok: false }), // exactly at the window: counts
          from("fra-1", T0 - FRESH - 1, { ok: false }), // too old
          from("lax-1", T0 + FRESH + 1, { ok: false }), // too far ahead (a clock that runs fast)
          from("sgp-1", T0, { ok: false }), // not live
        ],
        { live: new Set(["ams-1", "fra-1", "lax-1"]) },
      ),
    );
    assert.deepEqual(r.votes.map((v) => v.vantage), ["local", "ams-1"]);
    assert.deepEqual(r.abstained, [
      { vantage: "fra-1", why: "stale" },
      { vantage: "lax-1", why: "stale" },
      { vantage: "sgp-1", why: "not-live" },
    ]);
    assert.equal(r.verdict.ok, false, "one of two voters fails: a tie");
  });

  it("ignores its own vantage's and other nodes' rows, and takes each vantage's newest", () => {
    const r = quorumVerdict(
      input(probe(T0), [
        from("local", T0 - 1, { ok: false }),
        { ...from("fra-1", T0, { ok: false }), nodeId: "node-2" },
        from("fra-1", T0 - 3000, { ok: false }),
        from("fra-1", T0 - 1000),
        from("sgp-1", T0 - 1000),
      ]),
    );
    assert.deepEqual(r.votes, [
      { vantage: "local", ok: true, at: T0, cause: null },
      { vantage: "fra-1", ok: true, at: T0 - 1000, cause: null },
      { vantage: "sgp-1", ok: true, at: T0 - 1000, cause: null },
    ]);
  });

  it("gives an ok verdict the own evidence when the own probe is ok, else the freshest ok vote's", () => {
    const own = probe(T0, { latencyMs: 12, height: 100, protocolVersion: 90035 });
    assert.deepEqual(quorumVerdict(input(own, [from("fra-1", T0, { latencyMs: 99 }), from("sgp-1", T0)])).verdict, own);
    const outvoted = quorumVerdict(
      input(probe(T0 + 5, { ok: false }), [from("fra-1", T0 - 9000, { latencyMs: 80, height: 7 }), from("sgp-1", T0 - 1000, { latencyMs: 150, height: 8, protocolVersion: 90036 })]),
    );
    assert.deepEqual(outvoted.verdict, { nodeId: "node-1", at: T0 + 5, ok: true, cause: null, latencyMs: 150, height: 8, protocolVersion: 90036 });
  });

  it("names the failing vantages in a failed verdict's cause, each cause once, at the own probe's time", () => {
    const own = probe(T0 + 5, { ok: false, latencyMs: 30, height: 5 });
    const r = quorumVerdict(
      input(own, [
        from("sgp-1", T0, { ok: false, cause: "tcp 9678 refused" }),
        from("fra-1", T0, { ok: false }),
        from("ams-1", T0, { ok: false, cause: null }),
        from("lax-1", T0),
      ]),
    );
    assert.deepEqual(r.verdict, { ...own, cause: "p2p timeout (local, fra-1); probe failed (ams-1); tcp 9678 refused (sgp-1)" });
    const outvoted = quorumVerdict(input(probe(T0 + 5), [from("fra-1", T0, { ok: false }), from("sgp-1", T0, { ok: false })]));
    assert.deepEqual(outvoted.verdict, { nodeId: "node-1", at: T0 + 5, ok: false, cause: "p2p timeout (fra-1, sgp-1)", latencyMs: null, height: null, protocolVersion: null });
  });

  it("clips a cause full of hostile vantage names", () => {
    const names = ["v".repeat(10_240), `x${"🚀".repeat(5_120)}`, "fra-1\r\nX: y", "東京-1"];
    const r = quorumVerdict(input(probe(T0, { ok: false, cause: "c".repeat(10_000) }), names.map((n) => from(n, T0, { ok: false }))));
    assert.equal(r.verdict.ok, false);
    const cause = r.verdict.cause ?? "";
    assert.ok([...cause].length <= 500, `${[...cause].length} code points`);
    assert.doesNotMatch(cause, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, "no surrogate pair cut in two");
  });

  it("feeds the state machine: one vantage's lost path raises nothing, two of three bring the node down", () => {
    const T: WatchThresholds = { failuresToDown: 3, successesToUp: 2, escalateAfterMinutes: [20, 40], maxHeightLag: 10 };
    const run = (othersFail: [boolean, boolean]) => {
      let s = initialState("node-1");
      s = observe(s, probe(T0 - INTERVAL), T).state;
      const events = [];
      for (let i = 0; i < 5; i++) {
        const at = T0 + i * INTERVAL;
        const r = quorumVerdict(input(probe(at, { ok: false }), [from("fra-1", at - 3000, { ok: !othersFail[0] }), from("sgp-1", at - 2000, { ok: !othersFail[1] })]));
        const step = observe(s, r.verdict, T);
        s = step.state;
        events.push(...step.events);
      }
      return { s, events };
    };
    const one = run([false, false]);
    assert.deepEqual([one.s.health, one.events], ["up", []]);
    const two = run([true, false]);
    assert.equal(two.s.health, "down");
    assert.deepEqual(two.events.map((e) => [e.kind, "cause" in e ? e.cause : null]), [["down", "p2p timeout (local, fra-1)"]]);
  });
});
