import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { enrolledUser, testAuth } from "./fixtures.test-support.ts";
import { listUserSecurity } from "./users-report.ts";

describe("listUserSecurity", () => {
  it("gives each user, whether TOTP is enrolled, and the unused backup codes, for the audit", async () => {
    const { auth, clock, store } = testAuth();
    const { backupCodes } = await enrolledUser(auth, clock, "alice");
    await auth.addUser("bob", "correct horse battery");
    await auth.startEnrolment("bob");
    await auth.checkCode("alice", backupCodes[0]!, null);
    assert.deepEqual(await listUserSecurity(store), [
      { name: "alice", totpEnrolled: true, backupCodesRemaining: 9 },
      { name: "bob", totpEnrolled: false, backupCodesRemaining: 0 },
    ]);
  });
});
