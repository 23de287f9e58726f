import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NetviewRecord, NetviewStore } from "../../netview/ports.ts";
import { NETWORK_CONDITIONS, VERDICT_STATES } from "../netview-record.ts";
import { rejectsWith, withStore, type MakeStore } from "./harness.ts";
import { HOSTILE_NAMES, MINUTE, netviewRecord, T0 } from "./samples.ts";

/** The NetviewStore contract: every implementation must pass it unchanged. */
export function netviewStoreContract(name: string, make: MakeStore<NetviewStore>): void {
  const test = (title: string, fn: (s: NetviewStore) => Promise<void>) => it(title, () => withStore(make, fn));
  const ids = async (s: NetviewStore) => (await s.latestNetview()).map((r) => r.nodeId);

  describe(`NetviewStore contract: ${name}`, () => {
    test("holds no row at first, and pruning an empty store drops nothing", async (s) => {
      assert.deepEqual(await s.latestNetview(), []);
      assert.equal(await s.pruneNetview([]), 0);
      await s.saveNetview([]);
      assert.deepEqual(await s.latestNetview(), []);
    });

    test("gives back every field of a listed node and of one no peer could be asked about (nulls)", async (s) => {
      const listed = netviewRecord("n1", { state: "EXPIRED", lastPingAt: T0 - 70 * MINUTE, minutesToExpired: 0, condition: "expired", conditionSince: T0 - 5 * MINUTE });
      const unknown = netviewRecord("n2", { state: "UNKNOWN", lastPingAt: null, minutesToExpired: null, condition: "unknown", conditionSince: T0, detail: "{}" });
      await s.saveNetview([listed, unknown]);
      assert.deepEqual(await s.latestNetview(), [listed, unknown]);
    });

    test("keeps every verdict state and every condition", async (s) => {
      const rows = VERDICT_STATES.flatMap((state) => NETWORK_CONDITIONS.map((condition) => netviewRecord(`${state}/${condition}`, { state, condition })));
      await s.saveNetview(rows);
      assert.deepEqual(new Set(await s.latestNetview()), new Set(rows));
      assert.equal((await s.latestNetview()).length, VERDICT_STATES.length * NETWORK_CONDITIONS.length);
    });

    test("keeps hostile node ids, outpoints and details as they came (quotes, CR/LF, other scripts, 10 KB)", async (s) => {
      const written = HOSTILE_NAMES.map((text, i) =>
        netviewRecord(text, {
          outpoint: text,
          detail: i % 2 === 0 ? text : `{"problems":\r\n[${JSON.stringify(text)}, "it's \\"bad\\"", "東京 ✓"]}\n`,
        }),
      );
      await s.saveNetview(written);
      const read = await s.latestNetview();
      assert.equal(read.length, written.length);
      for (const r of written) assert.deepEqual(read.find((x) => x.nodeId === r.nodeId), r, `${JSON.stringify(r.nodeId.slice(0, 40))} is kept`);
      assert.equal(await s.pruneNetview(HOSTILE_NAMES.slice(1)), 1);
      assert.deepEqual(new Set(await ids(s)), new Set(HOSTILE_NAMES.slice(1)));
    });

    test("replaces the row of a node saved again and keeps the others", async (s) => {
      await s.saveNetview([netviewRecord("n1"), netviewRecord("n2")]);
      const expired = netviewRecord("n1", { state: "NEW_START_REQUIRED", lastPingAt: null, minutesToExpired: null, askedAt: T0 + 5 * MINUTE, condition: "new-start", conditionSince: T0 + 5 * MINUTE, detail: '{"peers":[]}' });
      await s.saveNetview([expired]);
      assert.deepEqual(await s.latestNetview(), [expired, netviewRecord("n2")]);
    });

    test("keeps the later record of a node given twice in one save", async (s) => {
      const later = netviewRecord("n1", { askedAt: T0 + MINUTE, condition: "unseen" });
      await s.saveNetview([netviewRecord("n1"), netviewRecord("n2"), later]);
      assert.deepEqual(await s.latestNetview(), [later, netviewRecord("n2")]);
    });

    test("lists rows by node id in byte order", async (s) => {
      await s.saveNetview(["é", "b", "Z", "a", "B", "ab"].map((id) => netviewRecord(id)));
      assert.deepEqual(await ids(s), ["B", "Z", "a", "ab", "b", "é"]);
    });

    test("prunes the rows of nodes not kept, says how many, and ignores kept ids it does not hold", async (s) => {
      await s.saveNetview(["n1", "n2", "n3", "n4"].map((id) => netviewRecord(id)));
      assert.equal(await s.pruneNetview(["n2", "n4", "gone", "n2"]), 2);
      assert.deepEqual(await ids(s), ["n2", "n4"]);
      assert.equal(await s.pruneNetview(["n2", "n4"]), 0);
      assert.equal(await s.pruneNetview([]), 2, "keeping no node drops every row");
      assert.deepEqual(await s.latestNetview(), []);
    });

    test("saves 500 nodes in one save and gives every one back", async (s) => {
      const rows = Array.from({ length: 500 }, (_, i) =>
        netviewRecord(`node-${String(i).padStart(3, "0")}`, { askedAt: T0 + i, minutesToExpired: i % 66, lastPingAt: i % 5 === 0 ? null : T0 - i * 1_000, detail: `{"n":${i},"pad":"${"x".repeat(1_000)}"}` }),
      );
      await s.saveNetview(rows);
      assert.deepEqual(await s.latestNetview(), rows);
      assert.equal(await s.pruneNetview(rows.slice(0, 100).map((r) => r.nodeId)), 400);
      assert.deepEqual(await s.latestNetview(), rows.slice(0, 100));
    });

    test("runs concurrent saves each whole: of the same nodes, every row comes from one save; of other nodes, all land", async (s) => {
      const nodes = Array.from({ length: 40 }, (_, i) => `node-${i}`);
      // Each save lists the nodes in its own order: a store that locked rows in the order given could deadlock.
      const order = (k: number) => (k % 2 === 0 ? [...nodes.slice(k * 5), ...nodes.slice(0, k * 5)] : [...nodes].reverse());
      const batch = (k: number) => order(k).map((id) => netviewRecord(id, { askedAt: T0 + k, detail: `{"save":${k}}` }));
      await Promise.all(Array.from({ length: 8 }, (_, k) => s.saveNetview(batch(k))));
      const read = await s.latestNetview();
      assert.equal(read.length, nodes.length);
      const saves = new Set(read.map((r) => r.askedAt));
      assert.equal(saves.size, 1, `rows from saves ${[...saves].map((t) => t - T0).join(", ")}`);
      assert.deepEqual(new Set(read), new Set(batch([...saves][0]! - T0)));

      await Promise.all(Array.from({ length: 8 }, (_, k) => s.saveNetview([netviewRecord(`other-${k}`), netviewRecord(`other-${k}-b`)])));
      assert.equal((await s.latestNetview()).length, nodes.length + 16);
    });

    test("refuses a record it cannot keep faithfully and stores nothing of the batch", async (s) => {
      await s.saveNetview([netviewRecord("kept")]);
      const bad: Partial<NetviewRecord>[] = [
        { nodeId: "" },
        { outpoint: "" },
        { state: "POSE_BAN" as NetviewRecord["state"] },
        { condition: "down" as NetviewRecord["condition"] },
        { askedAt: T0 + 0.5 },
        { conditionSince: -1 },
        { lastPingAt: Number.NaN },
        { lastPingAt: 2 ** 60 },
        { minutesToExpired: -1 },
        { minutesToExpired: 1.5 },
        { detail: "a NUL \u0000 here" },
        { nodeId: "n\u0000" },
        { detail: undefined as unknown as string },
      ];
      for (const over of bad) {
        await rejectsWith(s.saveNetview([netviewRecord("n1"), { ...netviewRecord("n2"), ...over }]), "invalid-argument");
      }
      assert.deepEqual(await s.latestNetview(), [netviewRecord("kept")]);
    });

    test("hands out copies: changing a saved or read record changes nothing stored", async (s) => {
      const mine = netviewRecord("n1");
      await s.saveNetview([mine]);
      mine.detail = "changed";
      const [read] = await s.latestNetview();
      read!.condition = "expired";
      assert.deepEqual(await s.latestNetview(), [netviewRecord("n1")]);
    });
  });
}
