import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { VantageStore } from "../../fleet/ports.ts";
import { rejectsWith, withStore, type MakeStore } from "./harness.ts";
import { HOSTILE_NAMES, MINUTE, T0, vantage } from "./samples.ts";

/** The VantageStore contract: every implementation must pass it unchanged. */
export function vantageStoreContract(name: string, make: MakeStore<VantageStore>): void {
  const test = (title: string, fn: (s: VantageStore) => Promise<void>) => it(title, () => withStore(make, fn));

  describe(`VantageStore contract: ${name}`, () => {
    test("knows no vantage at first", async (s) => {
      assert.deepEqual(await s.vantages(), []);
    });

    test("keeps every field of a heartbeat", async (s) => {
      const sick = vantage("fra-1", { healthy: false, detail: "every node fails: the watcher's own link is down" });
      await s.beat(sick);
      assert.deepEqual(await s.vantages(), [sick]);
    });

    test("replaces a vantage's row on its next heartbeat (one row per name)", async (s) => {
      await s.beat(vantage("fra-1", { healthy: false, detail: "offline" }));
      const next = vantage("fra-1", { region: "Frankfurt 2", holder: "fra-1/77aa", startedAt: T0 + 2 * MINUTE, seenAt: T0 + 3 * MINUTE, healthy: true, detail: null });
      await s.beat(next);
      assert.deepEqual(await s.vantages(), [next]);
    });

    test("lists every vantage by name", async (s) => {
      for (const n of ["sgp-1", "ams-1", "fra-2", "fra-1"]) await s.beat(vantage(n));
      assert.deepEqual((await s.vantages()).map((v) => v.name), ["ams-1", "fra-1", "fra-2", "sgp-1"]);
    });

    test("forgets a vantage, and forgetting one it never saw changes nothing", async (s) => {
      await s.beat(vantage("fra-1"));
      await s.beat(vantage("sgp-1"));
      await s.forget("fra-1");
      await s.forget("nobody");
      assert.deepEqual(await s.vantages(), [vantage("sgp-1")]);
      await s.beat(vantage("fra-1", { seenAt: T0 + 9 * MINUTE }));
      assert.deepEqual((await s.vantages()).map((v) => v.name), ["fra-1", "sgp-1"], "a forgotten vantage comes back with its next heartbeat");
    });

    test("keeps hostile names, regions, holders and details as they came", async (s) => {
      const written = HOSTILE_NAMES.map((n) => vantage(n, { region: n, holder: n, detail: n, healthy: false }));
      for (const v of written) await s.beat(v);
      const read = await s.vantages();
      assert.equal(read.length, written.length);
      for (const v of written) assert.deepEqual(read.find((r) => r.name === v.name), v, `${JSON.stringify(v.name.slice(0, 40))} is kept`);
      await s.forget(HOSTILE_NAMES[0]!);
      assert.equal((await s.vantages()).length, written.length - 1);
    });

    test("refuses an empty name or a time that is not whole ms, and keeps nothing of it", async (s) => {
      await rejectsWith(s.beat(vantage("")), "invalid-argument");
      await rejectsWith(s.beat(vantage("fra-1", { seenAt: T0 + 0.5 })), "invalid-argument");
      await rejectsWith(s.beat(vantage("fra-1", { startedAt: -1 })), "invalid-argument");
      assert.deepEqual(await s.vantages(), []);
    });
  });
}
