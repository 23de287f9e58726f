import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { enrolledUser, testAuth } from "./fixtures.test-support.ts";
import { totpCode } from "./totp.ts";

const IP = "198.51.100.7";

describe("AuthService", () => {
  it("adds users with a hashed password, refusing bad names, short passwords and duplicates", async () => {
    const { auth, store } = testAuth();
    await auth.addUser("alice", "correct horse battery");
    assert.match((await store.getUser("alice"))!.passwordHash, /^scrypt\$/);
    await assert.rejects(auth.addUser("alice", "another long one"), /already exists/);
    await assert.rejects(auth.addUser("Bad Name", "correct horse battery"), /not a user name/);
    await assert.rejects(auth.addUser("bob", "short"), /at least 10/);
  });

  it("activates an enrolment only after a valid code, and keeps the secret sealed in the store", async () => {
    const { auth, store, clock } = testAuth();
    await auth.addUser("alice", "correct horse battery");
    const { secret, uri } = await auth.startEnrolment("alice");
    assert.match(uri, /^otpauth:\/\/totp\/nodeward:alice\?/);
    assert.equal((await auth.listUsers())[0]?.totpEnrolled, false, "pending is not enrolled");
    const stored = JSON.stringify(await store.getUser("alice"));
    assert.ok(!stored.includes(secret), "the secret is not stored in clear");
    assert.deepEqual(await auth.confirmEnrolment("alice", "000000"), { ok: false, reason: "invalid" });
    const ok = await auth.confirmEnrolment("alice", totpCode(secret, clock.now()));
    assert.equal(ok.ok, true);
    assert.equal(ok.ok && ok.backupCodes.length, 10);
    assert.deepEqual((await auth.listUsers()).map((u) => [u.name, u.totpEnrolled, u.backupCodesRemaining]), [["alice", true, 10]]);
  });

  it("signs in with password then code; a user without an authenticator must enroll", async () => {
    const { auth, clock } = testAuth();
    const { secret } = await enrolledUser(auth, clock);
    await auth.addUser("bob", "correct horse battery");
    assert.deepEqual(await auth.checkPassword("alice", "correct horse battery", IP), { ok: true, next: "code" });
    assert.deepEqual(await auth.checkPassword("bob", "correct horse battery", IP), { ok: true, next: "enroll" });
    assert.deepEqual(await auth.checkPassword("alice", "wrong password!", IP), { ok: false, reason: "invalid" });
    assert.deepEqual(await auth.checkPassword("nobody", "correct horse battery", IP), { ok: false, reason: "invalid" });
    assert.deepEqual(await auth.checkCode("alice", totpCode(secret, clock.now()), IP), { ok: true, method: "totp" });
  });

  it("refuses a code already accepted (replay), also one of an earlier step", async () => {
    const { auth, clock } = testAuth();
    const { secret } = await enrolledUser(auth, clock);
    const now = totpCode(secret, clock.now());
    const before = totpCode(secret, clock.now() - 30_000);
    assert.equal((await auth.checkCode("alice", now, IP)).ok, true);
    assert.deepEqual(await auth.checkCode("alice", now, IP), { ok: false, reason: "replay" });
    assert.deepEqual(await auth.checkCode("alice", before, IP), { ok: false, reason: "replay" }, "an earlier step, though inside the window");
    clock.advance(30_000);
    assert.equal((await auth.checkCode("alice", totpCode(secret, clock.now()), IP)).ok, true);
  });

  it("locks the account after 5 failures with a time, refuses even the right code then, and unlock lifts it", async () => {
    const { auth, clock, store } = testAuth();
    const { secret } = await enrolledUser(auth, clock);
    for (let i = 0; i < 4; i++) assert.deepEqual(await auth.checkCode("alice", "000000", IP), { ok: false, reason: "invalid" });
    const locked = await auth.checkCode("alice", "000000", IP);
    assert.equal(locked.ok === false && locked.reason, "locked");
    assert.equal(locked.ok === false && locked.reason === "locked" && locked.until, clock.now() + 15 * 60_000);
    assert.equal((await auth.checkPassword("alice", "correct horse battery", IP)).ok, false, "the password is not even checked");
    assert.equal((await auth.checkCode("alice", totpCode(secret, clock.now()), IP)).ok, false);
    assert.ok((await store.events({ user: "alice", limit: 50 })).some((e) => e.kind === "locked"));
    assert.deepEqual(await auth.unlock("alice"), { wasLocked: true });
    assert.equal((await auth.checkCode("alice", totpCode(secret, clock.now()), IP)).ok, true);
  });

  it("unlocks by itself when the lock time has passed", async () => {
    const { auth, clock } = testAuth();
    await enrolledUser(auth, clock);
    for (let i = 0; i < 5; i++) await auth.checkPassword("alice", "wrong password!", IP);
    assert.equal((await auth.checkPassword("alice", "correct horse battery", IP)).ok, false);
    clock.advance(15 * 60_000);
    assert.equal((await auth.checkPassword("alice", "correct horse battery", IP)).ok, true);
  });

  it("a correct password does not reset the failure count: only a second factor does", async () => {
    const { auth, clock } = testAuth();
    await enrolledUser(auth, clock);
    for (let i = 0; i < 5; i++) {
      assert.equal((await auth.checkPassword("alice", "correct horse battery", IP)).ok, true);
      await auth.checkCode("alice", "000000", IP);
    }
    assert.equal((await auth.checkPassword("alice", "correct horse battery", IP)).ok, false);
  });

  it("accepts each backup code once, reports and audits its use, and regenerating voids the old ones", async () => {
    const { auth, clock, store, backupUses } = testAuth();
    const { backupCodes } = await enrolledUser(auth, clock);
    const code = backupCodes[3]!;
    assert.deepEqual(await auth.checkCode("alice", code.toUpperCase(), IP), { ok: true, method: "backup", remaining: 9 });
    assert.deepEqual(await auth.checkCode("alice", code, IP), { ok: false, reason: "invalid" });
    assert.deepEqual(backupUses.map((u) => [u.user, u.remaining, u.ip]), [["alice", 9, IP]]);
    const audit = await store.events({ user: "alice", limit: 50 });
    assert.ok(audit.some((e) => e.kind === "backup-code-used" && e.detail === "9 left"));
    assert.ok(!JSON.stringify(audit).includes(code), "the code itself is never recorded");
    const fresh = await auth.regenerateBackupCodes("alice");
    assert.equal(fresh.length, 10);
    assert.equal((await auth.checkCode("alice", backupCodes[5]!, IP)).ok, false, "old codes die");
    assert.equal((await auth.checkCode("alice", fresh[0]!, IP)).ok, true);
  });

  it("names an unknown user in CLI operations", async () => {
    const { auth } = testAuth();
    await assert.rejects(auth.unlock("ghost"), /no user "ghost"/);
    await assert.rejects(auth.startEnrolment("ghost"), /no user/);
  });
});
