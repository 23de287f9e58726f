import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { memoryAuthStore } from "../store/memory/auth-store.ts";
import { enrolledUser, testAuth } from "./fixtures.test-support.ts";
import type { AuthEventKind, AuthStore } from "./ports.ts";
import { totpCode } from "./totp.ts";

/**
 * Parallel sign-in steps against a store that answers asynchronously, as one across a socket or
 * another process would: every call waits for the next turn of the event loop, so concurrent
 * steps interleave between their reads and writes. The account's limit must hold all the same.
 */

const IP = "198.51.100.7";

function yielding(store: AuthStore): AuthStore {
  return new Proxy(store, {
    get(target, key: keyof AuthStore) {
      const method = target[key] as (...a: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        await new Promise((r) => setImmediate(r));
        return method.apply(target, args);
      };
    },
  });
}

async function count(store: AuthStore, kinds: readonly AuthEventKind[]): Promise<number> {
  return (await store.events({ user: "alice", limit: 10_000 })).filter((e) => kinds.includes(e.kind)).length;
}

describe("AuthService under parallel steps, on an asynchronous store", () => {
  it("checks at most 5 of 100 wrong TOTP codes sent at once, and then refuses the right one", async () => {
    const { auth, clock, store } = testAuth(undefined, { store: yielding(memoryAuthStore()) });
    const { secret } = await enrolledUser(auth, clock);
    const valid = new Set([-30_000, 0, 30_000].map((d) => totpCode(secret, clock.now() + d)));
    const wrong = Array.from({ length: 120 }, (_, i) => String(200_000 + i * 7919).slice(-6)).filter((c) => !valid.has(c)).slice(0, 100);
    const results = await Promise.all(wrong.map((c) => auth.checkCode("alice", c, IP)));
    assert.ok((await count(store, ["totp-failed"])) <= 5, `checked ${await count(store, ["totp-failed"])} codes`);
    assert.ok(results.every((r) => !r.ok));
    assert.equal((await auth.checkCode("alice", totpCode(secret, clock.now()), IP)).ok, false);
    assert.equal(await count(store, ["locked"]), 1, "one lock, audited once");
  });

  it("checks at most 5 of 100 wrong backup codes sent at once", async () => {
    const { auth, clock, store } = testAuth(undefined, { store: yielding(memoryAuthStore()) });
    await enrolledUser(auth, clock);
    await Promise.all(Array.from({ length: 100 }, (_, i) => auth.checkCode("alice", `abcd-efgh-jkmn-${String(2000 + i).replace(/[01]/g, "p")}`, IP)));
    assert.ok((await count(store, ["backup-code-failed"])) <= 5, `checked ${await count(store, ["backup-code-failed"])} codes`);
  });

  it("accepts one backup code once when it is sent 100 times at once", async () => {
    const { auth, clock, store, backupUses } = testAuth(undefined, { store: yielding(memoryAuthStore()) });
    const { backupCodes } = await enrolledUser(auth, clock);
    const results = await Promise.all(Array.from({ length: 100 }, () => auth.checkCode("alice", backupCodes[0]!, IP)));
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.equal(backupUses.length, 1);
    assert.equal(await count(store, ["backup-code-used"]), 1);
  });
});
