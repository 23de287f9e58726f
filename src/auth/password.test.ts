import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { hashPassword, passwordProblem, SCRYPT_COST, verifyPassword } from "./password.ts";

describe("password hashes", () => {
  it("use scrypt with N ≥ 2^15 and a salt per hash, and verify only the right password", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    assert.match(a, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    assert.ok(SCRYPT_COST.N >= 2 ** 15);
    assert.notEqual(a, b, "two hashes of one password differ (salt)");
    assert.equal(await verifyPassword("correct horse battery", a), true);
    assert.equal(await verifyPassword("correct horse batterY", a), false);
  });

  it("treat a malformed stored hash as a mismatch", async () => {
    for (const bad of ["", "scrypt$1$2", "bcrypt$x$y$z$a$b", "scrypt$99999999$8$1$AAAA$AAAA"]) assert.equal(await verifyPassword("x", bad), false);
  });

  it("refuse short passwords", () => {
    assert.match(passwordProblem("short") ?? "", /at least 10/);
    assert.equal(passwordProblem("long enough pass"), null);
  });
});
