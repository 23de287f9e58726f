import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { netviewRecord, T0, MINUTE } from "../store/contracts/samples.ts";
import { detailText } from "./detail.ts";
import type { NetworkVerdict } from "./model.ts";
import { peersAnswered, readNetview } from "./reading.ts";

const RULES = { intervalSeconds: 300, expiredMinutes: 65 };

const verdict: NetworkVerdict = {
  outpoint: `${"4f".repeat(32)}-1`,
  state: "ENABLED",
  lastPingAt: T0 - 7 * MINUTE,
  minutesToExpired: 58,
  announced: { addr: "203.0.113.7:9678", protocolVersion: 90034, at: T0 - 30 * 60 * MINUTE },
  disagreement: true,
  problems: ["the announce names 203.0.113.8:9678, the node is 203.0.113.7:9678"],
  peers: [
    { peer: "198.51.100.4:9678", answer: { kind: "unlisted" } },
    { peer: "198.51.100.9:9678", answer: { kind: "unreachable", detail: "timeout" } },
  ],
  askedAt: T0,
};

describe("reading a stored network view", () => {
  it("counts the minutes before EXPIRED at the time of reading, from the ping, never below 0", () => {
    const r = netviewRecord("n1", { detail: detailText(verdict) });
    assert.equal(readNetview(r, T0, RULES).minutesToExpired, 58);
    assert.equal(readNetview(r, T0 + 20 * MINUTE, RULES).minutesToExpired, 38, "not the stored 58");
    assert.equal(readNetview(r, T0 + 90 * MINUTE, RULES).minutesToExpired, 0);
    assert.equal(readNetview({ ...r, lastPingAt: null }, T0, RULES).minutesToExpired, null);
  });

  it("calls a row stale after 3 intervals without a new query", () => {
    const r = netviewRecord("n1");
    assert.equal(readNetview(r, T0 + 15 * MINUTE, RULES).stale, false);
    assert.equal(readNetview(r, T0 + 15 * MINUTE + 1, RULES).stale, true);
    assert.equal(readNetview(r, T0 + 15 * MINUTE + 1, { ...RULES, intervalSeconds: 600 }).stale, false);
  });

  it("reads the detail the watcher writes, and calls anything else unreadable instead of failing", () => {
    const good = readNetview(netviewRecord("n1", { detail: detailText(verdict) }), T0, RULES);
    assert.deepEqual(good.detail?.problems, verdict.problems);
    assert.equal(good.detail?.disagreement, true);
    assert.deepEqual(peersAnswered(good.detail), { answered: 1, listing: 0, asked: 2 });
    for (const bad of ["", "null", "{", "[]", '{"peers":[{"peer":1}],"problems":[],"disagreement":false}', JSON.stringify({ peers: [], problems: ["x"], disagreement: "yes" }), "x".repeat(10_240)]) {
      assert.equal(readNetview(netviewRecord("n1", { detail: bad }), T0, RULES).detail, null, bad.slice(0, 60));
    }
    assert.equal(peersAnswered(null), null);
  });
});
