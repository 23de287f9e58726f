import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { releaseAttempt, reserveAttempt, type AttemptCounter } from "./attempts.ts";
import { ACCOUNT_POLICY } from "./throttle.ts";
import { UnknownNames } from "./unknown-names.ts";

const LOCK = ACCOUNT_POLICY.lockMs;
const at = (failedAttempts: number, lockedUntil: number | null = null): AttemptCounter => ({ failedAttempts, lockedUntil });

describe("attempt slots (reserve, then settle)", () => {
  it("counts a slot as a failure at once; the 5th takes a 15-minute lock; a locked account gives none", () => {
    assert.deepEqual(reserveAttempt(at(3), 1000, ACCOUNT_POLICY), { counter: at(4), reservation: { ok: true, lockedUntil: null } });
    assert.deepEqual(reserveAttempt(at(4), 1000, ACCOUNT_POLICY), { counter: at(5, 1000 + LOCK), reservation: { ok: true, lockedUntil: 1000 + LOCK } });
    assert.deepEqual(reserveAttempt(at(5, 1000 + LOCK), 2000, ACCOUNT_POLICY), { counter: at(5, 1000 + LOCK), reservation: { ok: false, lockedUntil: 1000 + LOCK } });
  });

  it("starts counting anew once the lock has passed", () => {
    assert.deepEqual(reserveAttempt(at(5, 1000), 1000, ACCOUNT_POLICY).counter, at(1));
    assert.deepEqual(reserveAttempt(at(0, 1000), 1000, ACCOUNT_POLICY).counter, at(1), "a lock from before slots were counted");
  });

  it("gives a slot back, and the lock with it when the count falls below the limit", () => {
    assert.deepEqual(releaseAttempt(at(5, 9000), ACCOUNT_POLICY), at(4));
    assert.deepEqual(releaseAttempt(at(2), ACCOUNT_POLICY), at(1));
    assert.deepEqual(releaseAttempt(at(0), ACCOUNT_POLICY), at(0));
  });

  it("never grants more than the limit however slots are taken and given back", () => {
    let c = at(0);
    let granted = 0;
    let wrongChecked = 0;
    // 100 slots asked for; every 7th credential is right and gives its slot back.
    for (let i = 0; i < 100; i++) {
      const r = reserveAttempt(c, 0, ACCOUNT_POLICY);
      c = r.counter;
      if (!r.reservation.ok) continue;
      granted++;
      if (i % 7 === 3) c = releaseAttempt(c, ACCOUNT_POLICY);
      else wrongChecked++;
    }
    assert.equal(wrongChecked, ACCOUNT_POLICY.maxFailures);
    assert.ok(granted <= ACCOUNT_POLICY.maxFailures + 1, `granted ${granted}`);
  });
});

describe("unknown user names", () => {
  it("lock like an account: after 5 slots, for 15 minutes", () => {
    const u = new UnknownNames(ACCOUNT_POLICY);
    for (let i = 0; i < 4; i++) assert.deepEqual(u.reserve("mabel", 0), { ok: true, lockedUntil: null });
    assert.equal(u.lockedUntil("mabel", 0), null);
    assert.deepEqual(u.reserve("mabel", 0), { ok: true, lockedUntil: LOCK });
    assert.deepEqual(u.reserve("mabel", 1), { ok: false, lockedUntil: LOCK });
    assert.equal(u.lockedUntil("mabel", LOCK - 1), LOCK);
    assert.equal(u.lockedUntil("mabel", LOCK), null);
    assert.equal(u.lockedUntil("mable", 0), null, "each name on its own");
  });

  it("keep memory bounded, forgetting the name tried longest ago", () => {
    const u = new UnknownNames({ maxFailures: 1, lockMs: 1000 }, 2);
    for (const n of ["a", "b", "a", "c"]) u.reserve(n, 0);
    assert.equal(u.lockedUntil("b", 0), null, "b was forgotten");
    assert.equal(u.lockedUntil("a", 0), 1000);
    assert.equal(u.lockedUntil("c", 0), 1000);
  });
});
