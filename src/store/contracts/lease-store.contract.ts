import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import type { LeaseStore } from "../../fleet/ports.ts";
import { rejectsWith, withStore, type MakeStore } from "./harness.ts";
import { HOSTILE_NAMES } from "./samples.ts";

const MINUTE = 60_000;
/** Short enough to wait out for real; long enough that a slow CI machine still renews inside it. */
const SHORT_TTL = 150;
/**
 * The store's clock is its own (PostgreSQL's, for a fleet), so expiry times are compared with
 * this machine's only loosely: they run on the same host in these tests.
 */
const CLOCK_SLACK = 5_000;

/** The LeaseStore contract: every implementation must pass it unchanged. */
export function leaseStoreContract(name: string, make: MakeStore<LeaseStore>): void {
  const test = (title: string, fn: (s: LeaseStore) => Promise<void>) => it(title, () => withStore(make, fn));

  describe(`LeaseStore contract: ${name}`, () => {
    test("knows no lease before the first holder", async (s) => {
      assert.equal(await s.currentLease("leader"), null);
    });

    test("grants the first holder token 1, lapsing ttl later by the store's clock", async (s) => {
      const before = Date.now();
      const lease = await s.acquireLease("leader", "fra-1/a", MINUTE);
      const after = Date.now();
      assert.ok(lease !== null);
      assert.deepEqual({ ...lease, expiresAt: 0 }, { name: "leader", holder: "fra-1/a", token: 1, expiresAt: 0 });
      assert.ok(lease.expiresAt >= before + MINUTE - CLOCK_SLACK && lease.expiresAt <= after + MINUTE + CLOCK_SLACK, `expires ${lease.expiresAt - after} ms from now`);
      assert.deepEqual(await s.currentLease("leader"), lease);
    });

    test("renews for the holder: the token stays and the lease runs longer", async (s) => {
      const first = await s.acquireLease("leader", "fra-1/a", MINUTE);
      const renewed = await s.acquireLease("leader", "fra-1/a", 3 * MINUTE);
      assert.ok(first !== null && renewed !== null);
      assert.equal(renewed.token, 1);
      assert.equal(renewed.holder, "fra-1/a");
      assert.ok(renewed.expiresAt - first.expiresAt >= 2 * MINUTE - CLOCK_SLACK, "the renewal extends the lease");
      assert.deepEqual(await s.currentLease("leader"), renewed);
    });

    test("refuses another holder while the lease runs", async (s) => {
      const held = await s.acquireLease("leader", "fra-1/a", MINUTE);
      assert.equal(await s.acquireLease("leader", "sgp-1/b", MINUTE), null);
      assert.deepEqual(await s.currentLease("leader"), held);
    });

    test("grants a new holder the next token once the lease lapsed", async (s) => {
      const first = await s.acquireLease("leader", "fra-1/a", SHORT_TTL);
      assert.equal(first?.token, 1);
      assert.equal(await s.acquireLease("leader", "sgp-1/b", MINUTE), null, "refused while it runs");
      await sleep(SHORT_TTL + 100);
      const taken = await s.acquireLease("leader", "sgp-1/b", MINUTE);
      assert.equal(taken?.token, 2);
      assert.equal(taken?.holder, "sgp-1/b");
      assert.equal(await s.acquireLease("leader", "fra-1/a", MINUTE), null, "the old holder cannot take it back while the new one holds it");
    });

    test("changes the token only when the holder changes", async (s) => {
      await s.acquireLease("leader", "fra-1/a", SHORT_TTL);
      await sleep(SHORT_TTL + 100);
      assert.equal((await s.acquireLease("leader", "fra-1/a", MINUTE))?.token, 1, "nobody held it in between: the same tenure goes on");
      await s.releaseLease("leader", "fra-1/a");
      assert.equal((await s.acquireLease("leader", "sgp-1/b", MINUTE))?.token, 2);
      await s.releaseLease("leader", "sgp-1/b");
      assert.equal((await s.acquireLease("leader", "fra-1/a", MINUTE))?.token, 3, "a holder that comes back after another gets a new token");
    });

    test("lets another holder take the lease at once after a release", async (s) => {
      await s.acquireLease("leader", "fra-1/a", MINUTE);
      await s.releaseLease("leader", "fra-1/a");
      const taken = await s.acquireLease("leader", "sgp-1/b", MINUTE);
      assert.equal(taken?.token, 2);
      assert.deepEqual(await s.currentLease("leader"), taken);
    });

    test("changes nothing when a holder that does not hold the lease releases it", async (s) => {
      const held = await s.acquireLease("leader", "fra-1/a", MINUTE);
      await s.releaseLease("leader", "sgp-1/b");
      await s.releaseLease("other", "fra-1/a");
      assert.deepEqual(await s.currentLease("leader"), held);
      assert.equal(await s.acquireLease("leader", "sgp-1/b", MINUTE), null);
      assert.equal(await s.currentLease("other"), null);
    });

    test("keeps leases of different names apart", async (s) => {
      assert.equal((await s.acquireLease("leader", "fra-1/a", MINUTE))?.token, 1);
      assert.equal((await s.acquireLease("compactor", "sgp-1/b", MINUTE))?.token, 1);
      assert.equal((await s.currentLease("leader"))?.holder, "fra-1/a");
      assert.equal((await s.currentLease("compactor"))?.holder, "sgp-1/b");
    });

    test("grants exactly one of 20 holders asking at once", async (s) => {
      const holders = Array.from({ length: 20 }, (_, i) => `vantage-${i}/run`);
      const answers = await Promise.all(holders.map((h) => s.acquireLease("leader", h, MINUTE)));
      const granted = answers.filter((a) => a !== null);
      assert.equal(granted.length, 1, `granted to ${granted.map((g) => g.holder).join(", ")}`);
      assert.equal(granted[0]!.token, 1);
      assert.deepEqual(await s.currentLease("leader"), granted[0]);
    });

    test("keeps hostile lease names and holders as they came", async (s) => {
      for (const n of HOSTILE_NAMES) {
        const lease = await s.acquireLease(n, n, MINUTE);
        assert.equal(lease?.name, n);
        assert.equal(lease?.holder, n);
        assert.deepEqual(await s.currentLease(n), lease);
        await s.releaseLease(n, n);
        assert.equal((await s.acquireLease(n, `${n}-next`, MINUTE))?.token, 2, `${JSON.stringify(n.slice(0, 40))} was released`);
      }
    });

    test("refuses an empty name or holder, or a ttl that is not a positive whole number of ms", async (s) => {
      await rejectsWith(s.acquireLease("", "fra-1/a", MINUTE), "invalid-argument");
      await rejectsWith(s.acquireLease("leader", "", MINUTE), "invalid-argument");
      await rejectsWith(s.acquireLease("leader", "fra-1/a", 0), "invalid-argument");
      await rejectsWith(s.acquireLease("leader", "fra-1/a", 1.5), "invalid-argument");
      await rejectsWith(s.acquireLease("leader", "fra-1/a", Number.POSITIVE_INFINITY), "invalid-argument");
      assert.equal(await s.currentLease("leader"), null);
    });
  });
}
