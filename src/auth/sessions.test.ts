import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { memoryAuthStore } from "../store/memory/auth-store.ts";
import { ManualClock } from "./fixtures.test-support.ts";
import { hashSessionId, Sessions, tokensEqual } from "./sessions.ts";

const MIN = 60_000;

async function setup() {
  const store = memoryAuthStore();
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  await store.createUser({ name: "alice", passwordHash: "x", createdAt: 0, totpSecret: null, totpEnrolledAt: null, totpLastStep: null, pendingTotpSecret: null, failedAttempts: 0, lockedUntil: null });
  return { store, clock, sessions: new Sessions(store, clock, { idleMs: 30 * MIN, maxMs: 12 * 60 * MIN, pendingMs: 10 * MIN }) };
}

describe("sessions", () => {
  it("store only the hash of a 256-bit random id, with a CSRF token", async () => {
    const { store, sessions } = await setup();
    const { id, session } = await sessions.create("alice", "full");
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(session.idHash, hashSessionId(id));
    assert.equal(await store.getSession(id), null);
    assert.match(session.csrfToken, /^[A-Za-z0-9_-]{43}$/);
  });

  it("expire after the idle time without a request", async () => {
    const { clock, sessions } = await setup();
    const { id } = await sessions.create("alice", "full");
    clock.advance(29 * MIN);
    assert.ok(await sessions.resolve(id), "activity keeps it alive");
    clock.advance(29 * MIN);
    assert.ok(await sessions.resolve(id));
    clock.advance(30 * MIN);
    assert.equal(await sessions.resolve(id), null);
    assert.equal(await sessions.resolve(id), null, "and it is gone for good");
  });

  it("expire at the absolute limit even when used all along", async () => {
    const { clock, sessions } = await setup();
    const { id } = await sessions.create("alice", "full");
    for (let i = 0; i < 12 * 3 - 1; i++) {
      clock.advance(20 * MIN);
      assert.ok(await sessions.resolve(id), `at ${(i + 1) * 20} min`);
    }
    clock.advance(20 * MIN);
    assert.equal(await sessions.resolve(id), null);
  });

  it("give a half-way (password only) session 10 minutes", async () => {
    const { clock, sessions } = await setup();
    const { id } = await sessions.create("alice", "password");
    clock.advance(9 * MIN);
    assert.ok(await sessions.resolve(id));
    clock.advance(MIN);
    assert.equal(await sessions.resolve(id), null);
  });

  it("end at logout, and ignore malformed ids", async () => {
    const { sessions } = await setup();
    const { id } = await sessions.create("alice", "full");
    await sessions.destroy(id);
    assert.equal(await sessions.resolve(id), null);
    assert.equal(await sessions.resolve("../../etc"), null);
    assert.equal(await sessions.resolve(undefined), null);
  });

  it("compare tokens exactly", () => {
    assert.equal(tokensEqual("abc", "abc"), true);
    assert.equal(tokensEqual("abc", "abd"), false);
    assert.equal(tokensEqual("abc", "abcd"), false);
    assert.equal(tokensEqual("", ""), false);
  });
});
