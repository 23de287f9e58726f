import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { VantageRecord } from "../../fleet/ports.ts";
import { rejectsWith } from "../contracts/harness.ts";
import { MINUTE, T0 } from "../contracts/samples.ts";
import { openPostgresStore, type PostgresStore } from "./open.ts";
import { postgresSuites } from "./server.test-support.ts";

/** Vantage heartbeats on a real server: one row per name, upserted, listed by name. */
postgresSuites("PostgreSQL vantage store", (server) => {
  const withStore = async (fn: (s: PostgresStore) => Promise<void>) => {
    const s = await openPostgresStore(await (await server()).newDatabase());
    try {
      await fn(s);
    } finally {
      await s.end();
    }
  };
  const beat = (name: string, over: Partial<VantageRecord> = {}): VantageRecord => ({
    name,
    region: `${name} region`,
    holder: `${name}/run-1`,
    startedAt: T0,
    seenAt: T0 + MINUTE,
    healthy: true,
    detail: null,
    ...over,
  });

  describe("PostgreSQL VantageStore", () => {
    it("keeps every field of each vantage's heartbeat, listed by name", () =>
      withStore(async (s) => {
        assert.deepEqual(await s.vantages.vantages(), []);
        await s.vantages.beat(beat("sgp-1", { healthy: false, detail: "self-check: 0 of 3 anchors reachable" }));
        await s.vantages.beat(beat("fra-1"));
        assert.deepEqual(await s.vantages.vantages(), [beat("fra-1"), beat("sgp-1", { healthy: false, detail: "self-check: 0 of 3 anchors reachable" })]);
      }));

    it("replaces a vantage's row on the next beat, a restarted watcher as a new holder", () =>
      withStore(async (s) => {
        await s.vantages.beat(beat("fra-1"));
        const restarted = beat("fra-1", { holder: "fra-1/run-2", startedAt: T0 + 5 * MINUTE, seenAt: T0 + 6 * MINUTE, region: "Frankfurt" });
        await s.vantages.beat(restarted);
        assert.deepEqual(await s.vantages.vantages(), [restarted]);
      }));

    it("forgets a retired vantage and ignores one it does not hold", () =>
      withStore(async (s) => {
        await s.vantages.beat(beat("fra-1"));
        await s.vantages.beat(beat("sgp-1"));
        await s.vantages.forget("fra-1");
        await s.vantages.forget("nobody");
        assert.deepEqual((await s.vantages.vantages()).map((v) => v.name), ["sgp-1"]);
      }));

    it("refuses a heartbeat it could not give back faithfully, storing nothing", () =>
      withStore(async (s) => {
        await rejectsWith(s.vantages.beat(beat("")), "invalid-argument");
        await rejectsWith(s.vantages.beat(beat("fra-1", { seenAt: 1.5 })), "invalid-argument");
        await rejectsWith(s.vantages.beat(beat("fra-1", { startedAt: -1 })), "invalid-argument");
        assert.deepEqual(await s.vantages.vantages(), []);
      }));
  });
});
