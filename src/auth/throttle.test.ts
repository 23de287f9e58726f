import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "./fixtures.test-support.ts";
import { IpThrottle, lockMessage } from "./throttle.ts";

describe("throttling", () => {
  it("says until when and how to unlock", () => {
    assert.equal(lockMessage("alice", Date.UTC(2026, 0, 1, 5, 7)), "Too many failed attempts: the account is locked until 05:07 UTC. On the server, `nodeward user unlock alice` lifts the lock now.");
  });

  it("blocks an address after 20 failures in 15 minutes, until the window ends, without touching others", () => {
    const clock = new ManualClock(0);
    const t = new IpThrottle(clock);
    for (let i = 0; i < 19; i++) assert.notEqual(t.reserve("a"), null);
    assert.equal(t.blockedUntil("a"), null);
    assert.notEqual(t.reserve("a"), null);
    assert.equal(t.blockedUntil("a"), 15 * 60_000);
    assert.equal(t.reserve("a"), null, "no 21st slot");
    assert.equal(t.blockedUntil("b"), null);
    clock.advance(15 * 60_000);
    assert.equal(t.blockedUntil("a"), null);
  });

  it("counts a slot until it is given back: slots in flight count toward the limit", () => {
    const t = new IpThrottle(new ManualClock(0), { maxFailures: 3, windowMs: 1000, maxTracked: 10 });
    const slots = [t.reserve("a"), t.reserve("a"), t.reserve("a")];
    assert.equal(t.reserve("a"), null, "three checks in flight: the fourth waits");
    t.release(slots[1]!);
    assert.notEqual(t.reserve("a"), null, "a right credential gave its slot back");
    assert.equal(t.reserve("a"), null);
  });

  it("ignores a slot given back after its window has gone", () => {
    const clock = new ManualClock(0);
    const t = new IpThrottle(clock, { maxFailures: 2, windowMs: 1000, maxTracked: 10 });
    const old = t.reserve("a")!;
    clock.advance(1000);
    t.reserve("a");
    t.reserve("a");
    t.release(old);
    assert.equal(t.blockedUntil("a"), 2000, "the new window's failures stand");
  });

  it("keeps memory bounded", () => {
    const t = new IpThrottle(new ManualClock(0), { maxFailures: 1, windowMs: 1000, maxTracked: 3 });
    for (const ip of ["a", "b", "c", "d"]) t.reserve(ip);
    assert.equal(t.blockedUntil("a"), null, "the oldest was forgotten");
    assert.equal(t.blockedUntil("d"), 1000);
  });
});
