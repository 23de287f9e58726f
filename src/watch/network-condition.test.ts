import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { dedupeKey, type AlertEvent } from "../alerts/event.ts";
import { parseDetail } from "../netview/detail.ts";
import type { NetworkVerdict, VerdictState } from "../netview/model.ts";
import type { NetworkCondition, NetviewRecord, NetviewTarget } from "../netview/ports.ts";
import { conditionOf, track, type ConditionRules } from "./network-condition.ts";

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 1, 12, 0);
const RULES: ConditionRules = { unseenAfterMinutes: 45, expiry: { expiredMinutes: 65, newStartRequiredMinutes: 120 } };
const TXID = "4e2a9f1c".repeat(8);
const TARGET: NetviewTarget = { nodeId: "inst-1", alias: "mn1", outpoint: { txid: TXID, index: 1 }, expected: { ips: ["203.0.113.5"], port: 9678 } };
const NODE = { id: "inst-1", name: "sn-ams-1", address: "203.0.113.5" };

/** A verdict asked at `at` whose ping is `pingAgeMin` old (null: none). */
function verdict(state: VerdictState, pingAgeMin: number | null, at = T0, over: Partial<NetworkVerdict> = {}): NetworkVerdict {
  const lastPingAt = pingAgeMin === null ? null : at - pingAgeMin * MIN;
  return {
    outpoint: `${TXID}-1`,
    state,
    lastPingAt,
    minutesToExpired: lastPingAt === null ? null : Math.max(0, 65 - (pingAgeMin ?? 0)),
    disagreement: false,
    problems: [],
    peers: [{ peer: "198.51.100.7:9678", answer: { kind: "unlisted" } }],
    askedAt: at,
    ...over,
  };
}

function record(condition: NetworkCondition, conditionSince: number, over: Partial<NetviewRecord> = {}): NetviewRecord {
  return { nodeId: "inst-1", outpoint: `${TXID}-1`, state: "ENABLED", lastPingAt: null, minutesToExpired: null, askedAt: conditionSince, condition, conditionSince, detail: "{}", ...over };
}

const step = (v: NetworkVerdict, previous?: NetviewRecord, reachable = true) => track({ target: TARGET, node: NODE, verdict: v, reachable, previous }, RULES);
const kinds = (events: readonly AlertEvent[]) => events.map((e) => e.kind);

describe("conditionOf", () => {
  const table: [VerdictState, number | null, boolean, NetworkCondition | null][] = [
    ["ENABLED", 10, true, "ok"],
    ["PRE_ENABLED", 5, false, "ok"],
    ["ENABLED", 44, true, "ok"],
    ["ENABLED", 45, true, "unseen"],
    ["ENABLED", 50, false, null],
    ["UNLISTED", null, true, "unseen"],
    ["UNLISTED", null, false, null],
    ["EXPIRED", 70, true, "expired"],
    ["EXPIRED", 70, false, "expired"],
    ["UPDATE_REQUIRED", 3, true, "expired"],
    ["NEW_START_REQUIRED", 130, true, "new-start"],
    ["NEW_START_REQUIRED", null, false, "new-start"],
    ["UNKNOWN", null, true, null],
    ["UNKNOWN", null, false, null],
  ];
  for (const [state, age, reachable, want] of table) {
    it(`${state}, ping ${age ?? "none"} min old, ${reachable ? "reachable" : "down for nodeward"} → ${want ?? "holds the previous condition"}`, () => {
      assert.equal(conditionOf(verdict(state, age), reachable, RULES), want);
    });
  }
});

describe("track", () => {
  it("first sight of a healthy node: ok, no alert", () => {
    const r = step(verdict("ENABLED", 8));
    assert.deepEqual(r.events, []);
    assert.equal(r.record.condition, "ok");
    assert.equal(r.record.conditionSince, T0);
    assert.equal(r.record.outpoint, `${TXID}-1`);
  });

  it("first sight with no peer answering: unknown, no alert", () => {
    const r = step(verdict("UNKNOWN", null));
    assert.deepEqual(r.events, []);
    assert.equal(r.record.condition, "unknown");
    assert.equal(r.record.state, "UNKNOWN");
  });

  it("ok → EXPIRED: network-expired since the network's own moment (last ping + 65 min), with every fact", () => {
    const v = verdict("EXPIRED", 70, T0, { disagreement: true, problems: ["the network has the node at 203.0.113.9:9678, not at 203.0.113.5:9678"] });
    const r = step(v, record("ok", T0 - 60 * MIN));
    assert.equal(r.events.length, 1);
    const e = r.events[0]!;
    assert.ok(e.kind === "network-expired");
    assert.deepEqual({ ...e, detail: "" }, {
      kind: "network-expired", at: T0, node: NODE, alias: "mn1", outpoint: `${TXID}-1`, state: "EXPIRED",
      lastPingAt: T0 - 70 * MIN, minutesToExpired: 0, since: T0 - 5 * MIN, detail: "",
    });
    assert.match(e.detail, /^the network has the node at 203\.0\.113\.9:9678.*; peers disagree: 198\.51\.100\.7:9678 unlisted$/);
    assert.equal(dedupeKey(e), `inst-1:network:network-expired:${T0 - 5 * MIN}`);
    assert.deepEqual({ condition: r.record.condition, since: r.record.conditionSince }, { condition: "expired", since: T0 - 5 * MIN });
  });

  it("keeps the condition's start while it holds, and says nothing more", () => {
    const first = step(verdict("EXPIRED", 70), record("ok", T0 - 60 * MIN));
    const again = step(verdict("EXPIRED", 75, T0 + 5 * MIN), first.record);
    assert.deepEqual(again.events, []);
    assert.equal(again.record.conditionSince, T0 - 5 * MIN);
    assert.equal(again.record.askedAt, T0 + 5 * MIN);
    assert.equal(again.record.lastPingAt, T0 - 70 * MIN);
  });

  it("derives the same alert twice from the same saved record: a watcher killed before saving, or a new leader, repeats the key", () => {
    const prev = record("ok", T0 - 60 * MIN);
    const a = step(verdict("EXPIRED", 70, T0), prev);
    const b = step(verdict("EXPIRED", 72, T0 + 2 * MIN, { lastPingAt: T0 - 70 * MIN }), prev);
    assert.equal(dedupeKey(a.events[0]!), dedupeKey(b.events[0]!));
  });

  it("UPDATE_REQUIRED: network-expired with the problem in the detail", () => {
    const r = step(verdict("UPDATE_REQUIRED", 3, T0, { problems: ["announced with protocol 90026, below the payments minimum 90028: update the node and start it again"] }), record("ok", T0 - 60 * MIN));
    assert.deepEqual(kinds(r.events), ["network-expired"]);
    const e = r.events[0] as Extract<AlertEvent, { kind: "network-expired" }>;
    assert.equal(e.state, "UPDATE_REQUIRED");
    assert.equal(e.since, T0);
    assert.match(e.detail, /below the payments minimum 90028/);
  });

  it("EXPIRED → NEW_START_REQUIRED: network-new-start-required since last ping + 120 min", () => {
    const r = step(verdict("NEW_START_REQUIRED", 125), record("expired", T0 - 60 * MIN));
    assert.deepEqual(kinds(r.events), ["network-new-start-required"]);
    assert.equal((r.events[0] as Extract<AlertEvent, { kind: "network-new-start-required" }>).since, T0 - 5 * MIN);
    assert.equal(r.record.condition, "new-start");
  });

  it("NEW_START_REQUIRED with no ping at all: since it was seen", () => {
    const r = step(verdict("NEW_START_REQUIRED", null), undefined, false);
    assert.deepEqual(kinds(r.events), ["network-new-start-required"]);
    assert.equal(r.record.conditionSince, T0);
  });

  it("reachable and unlisted: unseen-by-network since it was seen", () => {
    const r = step(verdict("UNLISTED", null), record("ok", T0 - 30 * MIN));
    assert.deepEqual(kinds(r.events), ["unseen-by-network"]);
    assert.equal(r.record.conditionSince, T0);
  });

  it("reachable, ENABLED, last ping 50 min old: unseen-by-network since ping + 45 min", () => {
    const r = step(verdict("ENABLED", 50), record("ok", T0 - 30 * MIN));
    assert.deepEqual(kinds(r.events), ["unseen-by-network"]);
    assert.equal(r.record.conditionSince, T0 - 5 * MIN);
  });

  it("never dates a condition before the one it follows", () => {
    const r = step(verdict("ENABLED", 50), record("ok", T0 - 2 * MIN));
    assert.equal(r.record.conditionSince, T0 - 2 * MIN);
  });

  it("unseen → EXPIRED: network-expired (it got worse)", () => {
    const r = step(verdict("EXPIRED", 66), record("unseen", T0 - 21 * MIN));
    assert.deepEqual(kinds(r.events), ["network-expired"]);
    assert.equal(r.record.conditionSince, T0 - MIN);
  });

  it("down for nodeward and unlisted or stale: the down alerts speak, the previous condition holds", () => {
    for (const v of [verdict("UNLISTED", null), verdict("ENABLED", 55)]) {
      const fromOk = step(v, record("ok", T0 - 30 * MIN), false);
      assert.deepEqual(fromOk.events, []);
      assert.deepEqual({ c: fromOk.record.condition, s: fromOk.record.conditionSince, state: fromOk.record.state }, { c: "ok", s: T0 - 30 * MIN, state: v.state });
      const fromUnseen = step(v, record("unseen", T0 - 30 * MIN), false);
      assert.deepEqual(fromUnseen.events, []);
      assert.equal(fromUnseen.record.condition, "unseen");
    }
  });

  it("down for nodeward and EXPIRED in the network: network-expired all the same", () => {
    const r = step(verdict("EXPIRED", 70), record("ok", T0 - 60 * MIN), false);
    assert.deepEqual(kinds(r.events), ["network-expired"]);
  });

  it("UNKNOWN keeps the previous condition and its start, stores the new verdict, and never alerts", () => {
    for (const c of ["ok", "expired", "new-start", "unseen", "unknown"] as const) {
      const r = step(verdict("UNKNOWN", null), record(c, T0 - 30 * MIN, { state: "EXPIRED" }));
      assert.deepEqual(r.events, [], c);
      assert.deepEqual({ c: r.record.condition, s: r.record.conditionSince, state: r.record.state, at: r.record.askedAt }, { c, s: T0 - 30 * MIN, state: "UNKNOWN", at: T0 });
    }
  });

  it("back to ENABLED with a fresh ping after each alert: network-ok naming what it clears, keyed by that condition's start", () => {
    for (const [c, cleared] of [["expired", "network-expired"], ["new-start", "network-new-start-required"], ["unseen", "unseen-by-network"]] as const) {
      const r = step(verdict("ENABLED", 2), record(c, T0 - 40 * MIN), true);
      assert.deepEqual(kinds(r.events), ["network-ok"]);
      const e = r.events[0] as Extract<AlertEvent, { kind: "network-ok" }>;
      assert.equal(e.cleared, cleared);
      assert.equal(e.since, T0 - 40 * MIN);
      assert.equal(dedupeKey(e), `inst-1:network:network-ok:${T0 - 40 * MIN}`);
      assert.deepEqual({ c: r.record.condition, s: r.record.conditionSince }, { c: "ok", s: T0 });
    }
  });

  it("PRE_ENABLED after a new start clears new-start, also while nodeward does not reach the node", () => {
    const r = step(verdict("PRE_ENABLED", 1), record("new-start", T0 - 90 * MIN), false);
    assert.deepEqual(kinds(r.events), ["network-ok"]);
  });

  it("ok after unknown or ok: no network-ok", () => {
    assert.deepEqual(step(verdict("ENABLED", 3), record("unknown", T0 - 5 * MIN)).events, []);
    assert.deepEqual(step(verdict("ENABLED", 3), record("ok", T0 - 5 * MIN)).events, []);
  });

  it("a record for another collateral is not the node's past: a re-pointed node starts afresh", () => {
    const r = step(verdict("ENABLED", 3), record("expired", T0 - 50 * MIN, { outpoint: `${"ab".repeat(32)}-0` }));
    assert.deepEqual(r.events, []);
    assert.equal(r.record.condition, "ok");
    const bad = step(verdict("EXPIRED", 70), record("expired", T0 - 50 * MIN, { outpoint: `${"ab".repeat(32)}-0` }));
    assert.deepEqual(kinds(bad.events), ["network-expired"]);
  });

  it("stores what the peers said as detail that reads back, hostile text included", () => {
    const v = verdict("UNLISTED", null, T0, {
      peers: [
        { peer: "198.51.100.7:9678", answer: { kind: "unreachable", detail: `connect ECONNREFUSED\r\n${"é".repeat(10_000)}` } },
        { peer: "[2001:db8::1]:9678", answer: { kind: "malformed", detail: "mnb: 'quotes' \"and\" \u202e" } },
        { peer: "198.51.100.8:9678", answer: { kind: "unlisted" } },
      ],
    });
    const r = step(v);
    const d = parseDetail(r.record.detail);
    assert.ok(d !== null);
    assert.deepEqual(d.peers.map((p) => p.answer), ["unreachable", "malformed", "unlisted"]);
    assert.ok(d.peers[0]!.detail!.length < 400);
    assert.equal(d.peers[1]!.detail, "mnb: 'quotes' \"and\" \u202e");
    assert.ok(r.record.detail.length < 2_000);
  });
});
