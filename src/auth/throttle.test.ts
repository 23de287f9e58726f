import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "./fixtures.test-support.ts";
import { afterFailure, IpThrottle, lockMessage } from "./throttle.ts";

describe("throttling", () => {
  it("locks an account at the 5th consecutive failure for 15 minutes", () => {
    assert.deepEqual(afterFailure(3, 1000), { failedAttempts: 4, lockedUntil: null });
    assert.deepEqual(afterFailure(4, 1000), { failedAttempts: 0, lockedUntil: 1000 + 15 * 60_000 });
  });

  it("says until when and how to unlock", () => {
    assert.equal(lockMessage("alice", Date.UTC(2026, 0, 1, 5, 7)), "Too many failed attempts: the account is locked until 05:07 UTC. On the server, `nodeward user unlock alice` lifts the lock now.");
  });

  it("blocks an address after 20 failures in 15 minutes, until the window ends, without touching others", () => {
    const clock = new ManualClock(0);
    const t = new IpThrottle(clock);
    for (let i = 0; i < 19; i++) t.fail("a");
    assert.equal(t.blockedUntil("a"), null);
    t.fail("a");
    assert.equal(t.blockedUntil("a"), 15 * 60_000);
    assert.equal(t.blockedUntil("b"), null);
    clock.advance(15 * 60_000);
    assert.equal(t.blockedUntil("a"), null);
  });

  it("keeps memory bounded", () => {
    const t = new IpThrottle(new ManualClock(0), { maxFailures: 1, windowMs: 1000, maxTracked: 3 });
    for (const ip of ["a", "b", "c", "d"]) t.fail(ip);
    assert.equal(t.blockedUntil("a"), null, "the oldest was forgotten");
    assert.equal(t.blockedUntil("d"), 1000);
  });
});
