import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { AuthStore, SessionRecord, UserRecord } from "../../auth/ports.ts";
import { rejectsWith, withStore, type MakeStore } from "./harness.ts";
import { MINUTE, T0 } from "./samples.ts";

const POLICY = { maxFailures: 3, lockMs: MINUTE };

/** The AuthStore contract: every implementation must pass it unchanged. */
export function authStoreContract(name: string, make: MakeStore<AuthStore>): void {
  const test = (title: string, fn: (s: AuthStore) => Promise<void>) => it(title, () => withStore(make, fn));
  const user = (n: string, over: Partial<UserRecord> = {}): UserRecord => ({
    name: n,
    passwordHash: "scrypt$32768$8$1$c2FsdA$aGFzaA",
    createdAt: T0,
    totpSecret: null,
    totpEnrolledAt: null,
    totpLastStep: null,
    pendingTotpSecret: null,
    failedAttempts: 0,
    lockedUntil: null,
    ...over,
  });
  const session = (id: string, over: Partial<SessionRecord> = {}): SessionRecord => ({
    idHash: id.repeat(64).slice(0, 64),
    user: "alice",
    stage: "full",
    csrfToken: "csrf",
    createdAt: T0,
    lastSeenAt: T0,
    ...over,
  });

  describe(`AuthStore contract: ${name}`, () => {
    test("creates, reads and lists users by name, every field kept", async (s) => {
      await s.createUser(user("bob", { totpSecret: "sealed", totpEnrolledAt: T0 + 1, lockedUntil: T0 + 2, failedAttempts: 3 }));
      await s.createUser(user("alice"));
      assert.deepEqual(await s.getUser("bob"), user("bob", { totpSecret: "sealed", totpEnrolledAt: T0 + 1, lockedUntil: T0 + 2, failedAttempts: 3 }));
      assert.deepEqual((await s.listUsers()).map((u) => u.name), ["alice", "bob"]);
      assert.equal(await s.getUser("carol"), null);
    });

    test("refuses a second user of the same name and a name that is not one", async (s) => {
      await s.createUser(user("alice"));
      await rejectsWith(s.createUser(user("alice")), "conflict");
      await rejectsWith(s.createUser(user("Bad Name")), "invalid-argument");
    });

    test("updates only the fields given, and nulls when given null", async (s) => {
      await s.createUser(user("alice", { lockedUntil: T0 + MINUTE, failedAttempts: 5 }));
      await s.updateUser("alice", { failedAttempts: 0, lockedUntil: null, pendingTotpSecret: "p" });
      assert.deepEqual(await s.getUser("alice"), user("alice", { pendingTotpSecret: "p" }));
      await rejectsWith(s.updateUser("nobody", { failedAttempts: 1 }), "not-found");
    });

    test("reserves attempt slots up to the limit, the last one taking the lock, refuses while locked, and counts anew after", async (s) => {
      await s.createUser(user("alice"));
      assert.deepEqual(await s.reserveAttempt("alice", T0, POLICY), { ok: true, lockedUntil: null });
      assert.deepEqual(await s.reserveAttempt("alice", T0, POLICY), { ok: true, lockedUntil: null });
      assert.deepEqual(await s.reserveAttempt("alice", T0 + 1, POLICY), { ok: true, lockedUntil: T0 + 1 + MINUTE }, "the third slot takes the lock");
      assert.deepEqual(await s.reserveAttempt("alice", T0 + 2, POLICY), { ok: false, lockedUntil: T0 + 1 + MINUTE });
      assert.deepEqual(await s.getUser("alice"), user("alice", { failedAttempts: 3, lockedUntil: T0 + 1 + MINUTE }), "a refusal changes nothing");
      assert.deepEqual(await s.reserveAttempt("alice", T0 + 1 + MINUTE, POLICY), { ok: true, lockedUntil: null }, "the lock has passed");
      assert.deepEqual(await s.getUser("alice"), user("alice", { failedAttempts: 1, lockedUntil: null }));
      await rejectsWith(s.reserveAttempt("nobody", T0, POLICY), "not-found");
    });

    test("gives a slot back, lifting the lock when the count falls below the limit, never below zero", async (s) => {
      await s.createUser(user("alice"));
      for (let i = 0; i < 3; i++) await s.reserveAttempt("alice", T0, POLICY);
      await s.releaseAttempt("alice", POLICY);
      assert.deepEqual(await s.getUser("alice"), user("alice", { failedAttempts: 2, lockedUntil: null }));
      assert.deepEqual(await s.reserveAttempt("alice", T0 + 5, POLICY), { ok: true, lockedUntil: T0 + 5 + MINUTE });
      for (let i = 0; i < 4; i++) await s.releaseAttempt("alice", POLICY);
      assert.deepEqual(await s.getUser("alice"), user("alice"));
      await rejectsWith(s.releaseAttempt("nobody", POLICY), "not-found");
    });

    test("grants no more slots than the limit to reservations made at once", async (s) => {
      await s.createUser(user("alice"));
      const all = await Promise.all(Array.from({ length: 50 }, () => s.reserveAttempt("alice", T0, POLICY)));
      assert.equal(all.filter((r) => r.ok).length, 3);
      assert.equal(all.filter((r) => r.ok && r.lockedUntil !== null).length, 1, "one slot took the lock");
    });

    test("accepts each TOTP step once and never an earlier one (replay)", async (s) => {
      await s.createUser(user("alice"));
      assert.equal(await s.acceptTotpStep("alice", 100), true);
      assert.equal(await s.acceptTotpStep("alice", 100), false);
      assert.equal(await s.acceptTotpStep("alice", 99), false);
      assert.equal(await s.acceptTotpStep("alice", 101), true);
      assert.equal((await s.getUser("alice"))?.totpLastStep, 101);
      await s.resetTotpStep("alice");
      assert.equal(await s.acceptTotpStep("alice", 50), true);
    });

    test("uses a backup code once, and regenerating kills the old ones", async (s) => {
      await s.createUser(user("alice"));
      await s.replaceBackupCodes("alice", ["h1", "h2"], T0);
      const [first] = await s.backupCodes("alice");
      assert.equal(await s.useBackupCode("alice", first!.id, T0 + 1), true);
      assert.equal(await s.useBackupCode("alice", first!.id, T0 + 2), false);
      assert.deepEqual((await s.backupCodes("alice")).map((c) => [c.hash, c.usedAt]), [["h1", T0 + 1], ["h2", null]]);
      await s.replaceBackupCodes("alice", ["h3"], T0 + 3);
      assert.deepEqual((await s.backupCodes("alice")).map((c) => [c.hash, c.usedAt]), [["h3", null]]);
      assert.equal(await s.useBackupCode("alice", first!.id, T0 + 4), false);
      await rejectsWith(s.replaceBackupCodes("nobody", ["x"], T0), "not-found");
    });

    test("keeps sessions by hashed id, touches them, and deletes expired, per-user and single ones", async (s) => {
      await s.createUser(user("alice"));
      await s.createSession(session("a"));
      await s.createSession(session("b", { createdAt: T0 + 10 * MINUTE, lastSeenAt: T0 + 10 * MINUTE }));
      await s.createSession(session("c", { stage: "password" }));
      await s.touchSession(session("a").idHash, T0 + 20 * MINUTE);
      assert.deepEqual(await s.getSession(session("a").idHash), session("a", { lastSeenAt: T0 + 20 * MINUTE }));
      // c: idle since T0 → expired by idle; a: created at T0 → expired by age only if createdBefore > T0.
      assert.equal(await s.deleteExpiredSessions(T0, T0 + 5 * MINUTE), 1);
      assert.equal(await s.getSession(session("c").idHash), null);
      await s.deleteSession(session("a").idHash);
      assert.equal(await s.getSession(session("a").idHash), null);
      assert.equal(await s.deleteUserSessions("alice"), 1);
      await rejectsWith(s.createSession(session("d", { user: "nobody" })), "not-found");
      await rejectsWith(s.createSession({ ...session("e"), idHash: "short" }), "invalid-argument");
    });

    test("lists auth events newest first, per user, limited", async (s) => {
      await s.appendEvent({ at: T0, user: "alice", kind: "password-ok", ip: "127.0.0.1", detail: "" });
      await s.appendEvent({ at: T0 + 1, user: "bob", kind: "password-failed", ip: null, detail: "wrong password" });
      await s.appendEvent({ at: T0 + 1, user: "alice", kind: "backup-code-used", ip: "127.0.0.1", detail: "9 left" });
      assert.deepEqual((await s.events({ limit: 10 })).map((e) => e.kind), ["backup-code-used", "password-failed", "password-ok"]);
      assert.deepEqual(await s.events({ user: "alice", limit: 1 }), [{ at: T0 + 1, user: "alice", kind: "backup-code-used", ip: "127.0.0.1", detail: "9 left" }]);
      await rejectsWith(s.appendEvent({ at: 1.5, user: "a", kind: "logout", ip: null, detail: "" }), "invalid-argument");
    });
  });
}
