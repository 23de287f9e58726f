import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { Client } from "pg";
import { rejectsWith } from "../contracts/harness.ts";
import { openPostgresStore, type PostgresStore } from "./open.ts";
import { postgresSuites } from "./server.test-support.ts";

/** The lease port on a real server: one statement decides, by the database's clock; tokens only grow. */
postgresSuites("PostgreSQL lease store", (server) => {
  const withStore = async (fn: (s: PostgresStore, url: string) => Promise<void>) => {
    const url = await (await server()).newDatabase();
    const s = await openPostgresStore(url);
    try {
      await fn(s, url);
    } finally {
      await s.end();
    }
  };
  const dbNow = async (url: string): Promise<number> => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return Number((await c.query("SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now")).rows[0].now);
    } finally {
      await c.end();
    }
  };

  describe("PostgreSQL LeaseStore", () => {
    it("has no lease before the first is taken, then gives the first holder token 1", () =>
      withStore(async (s) => {
        assert.equal(await s.leases.currentLease("leader"), null);
        const lease = await s.leases.acquireLease("leader", "fra-1/a", 10_000);
        assert.deepEqual({ ...lease, expiresAt: 0 }, { name: "leader", holder: "fra-1/a", token: 1, expiresAt: 0 });
        assert.deepEqual(await s.leases.currentLease("leader"), lease);
      }));

    it("sets the expiry by the database's clock, not the caller's", () =>
      withStore(async (s, url) => {
        const before = await dbNow(url);
        const lease = await s.leases.acquireLease("leader", "fra-1/a", 60_000);
        const after = await dbNow(url);
        assert.ok(lease !== null);
        assert.ok(lease.expiresAt >= before + 60_000 && lease.expiresAt <= after + 60_000, `${lease.expiresAt} not within [${before}, ${after}] + 60 s`);
      }));

    it("refuses another holder while the lease runs, and changes nothing", () =>
      withStore(async (s) => {
        const first = await s.leases.acquireLease("leader", "fra-1/a", 60_000);
        assert.equal(await s.leases.acquireLease("leader", "sgp-1/b", 60_000), null);
        assert.deepEqual(await s.leases.currentLease("leader"), first);
      }));

    it("renews for the same holder, keeping the token and pushing the expiry", () =>
      withStore(async (s) => {
        const first = await s.leases.acquireLease("leader", "fra-1/a", 1_000);
        const renewed = await s.leases.acquireLease("leader", "fra-1/a", 60_000);
        assert.equal(renewed?.token, 1);
        assert.ok((renewed?.expiresAt ?? 0) > (first?.expiresAt ?? Infinity));
      }));

    it("gives a lapsed lease to a new holder with the next token", () =>
      withStore(async (s) => {
        await s.leases.acquireLease("leader", "fra-1/a", 1);
        await sleep(20);
        const taken = await s.leases.acquireLease("leader", "sgp-1/b", 60_000);
        assert.deepEqual([taken?.holder, taken?.token], ["sgp-1/b", 2]);
      }));

    it("lets go at once on release, only for the holder, and never hands out a token twice", () =>
      withStore(async (s) => {
        await s.leases.acquireLease("leader", "fra-1/a", 60_000);
        await s.leases.releaseLease("leader", "sgp-1/b");
        assert.equal(await s.leases.acquireLease("leader", "sgp-1/b", 60_000), null, "a non-holder's release does nothing");
        await s.leases.releaseLease("leader", "fra-1/a");
        assert.equal((await s.leases.acquireLease("leader", "sgp-1/b", 60_000))?.token, 2);
        await s.leases.releaseLease("leader", "sgp-1/b");
        assert.equal((await s.leases.acquireLease("leader", "fra-1/a", 60_000))?.token, 3);
      }));

    it("keeps leases of different names apart", () =>
      withStore(async (s) => {
        await s.leases.acquireLease("leader", "fra-1/a", 60_000);
        assert.equal((await s.leases.acquireLease("compactor", "sgp-1/b", 60_000))?.token, 1);
      }));

    it("grants a lease asked for by many holders at once to exactly one", () =>
      withStore(async (s) => {
        const holders = Array.from({ length: 20 }, (_, i) => `w-${i}/run`);
        const results = await Promise.all(holders.map((h) => s.leases.acquireLease("leader", h, 60_000)));
        const granted = results.filter((r) => r !== null);
        assert.equal(granted.length, 1);
        assert.equal(granted[0]?.token, 1);
        assert.equal((await s.leases.currentLease("leader"))?.holder, granted[0]?.holder);
      }));

    it("refuses a lease without a name or holder, or with a ttl that is not whole ms > 0", () =>
      withStore(async (s) => {
        await rejectsWith(s.leases.acquireLease("", "a", 1000), "invalid-argument");
        await rejectsWith(s.leases.acquireLease("leader", "", 1000), "invalid-argument");
        await rejectsWith(s.leases.acquireLease("leader", "a", 0), "invalid-argument");
        await rejectsWith(s.leases.acquireLease("leader", "a", 1.5), "invalid-argument");
        assert.equal(await s.leases.currentLease("leader"), null);
      }));
  });
});
