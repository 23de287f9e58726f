import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { NodeWatchState } from "../../watch/model.ts";
import type { NodeStateStore } from "../../watch/ports.ts";
import { rejectsWith, withStore, type MakeStore } from "./harness.ts";
import { MINUTE, nodeState, T0 } from "./samples.ts";

/** The NodeStateStore contract: every implementation must pass it unchanged. */
export function nodeStateStoreContract(name: string, make: MakeStore<NodeStateStore>): void {
  const test = (title: string, fn: (s: NodeStateStore) => Promise<void>) => it(title, () => withStore(make, fn));

  describe(`NodeStateStore contract: ${name}`, () => {
    test("loads nothing from an empty store", async (s) => {
      assert.deepEqual(await s.loadAll(), []);
    });

    test("saves and loads every field, the open incident and its escalations included", async (s) => {
      await s.save([nodeState("n1")]);
      assert.deepEqual(await s.loadAll(), [nodeState("n1")]);
    });

    test("keeps a healthy node with nulls everywhere they are allowed", async (s) => {
      const healthy: NodeWatchState = {
        nodeId: "n1",
        health: "unknown",
        degraded: null,
        failures: 0,
        successes: 0,
        lastGoodAt: null,
        lastProbeAt: null,
        failingSince: null,
        incident: null,
      };
      await s.save([healthy]);
      assert.deepEqual(await s.loadAll(), [healthy]);
    });

    test("keeps an open incident with no escalation yet apart from no incident", async (s) => {
      const fresh = nodeState("n1", { incident: { id: "i1", startedAt: T0, cause: "p2p timeout", escalated: [] } });
      await s.save([fresh, nodeState("n2", { incident: null })]);
      assert.deepEqual(await s.loadAll(), [fresh, nodeState("n2", { incident: null })]);
    });

    test("replaces the state of a node saved again", async (s) => {
      await s.save([nodeState("n1"), nodeState("n2")]);
      const recovered = nodeState("n1", { health: "up", failures: 0, successes: 2, failingSince: null, lastGoodAt: T0 + MINUTE, incident: null });
      await s.save([recovered]);
      assert.deepEqual(await s.loadAll(), [recovered, nodeState("n2")]);
    });

    test("loads nodes ordered by id", async (s) => {
      await s.save([nodeState("c"), nodeState("a"), nodeState("b")]);
      assert.deepEqual((await s.loadAll()).map((n) => n.nodeId), ["a", "b", "c"]);
    });

    test("forgets removed nodes and ignores ids it does not hold", async (s) => {
      await s.save([nodeState("n1"), nodeState("n2"), nodeState("n3")]);
      await s.remove(["n1", "n3", "gone"]);
      assert.deepEqual((await s.loadAll()).map((n) => n.nodeId), ["n2"]);
      await s.remove([]);
      assert.equal((await s.loadAll()).length, 1);
    });

    test("refuses a state it cannot keep faithfully and stores nothing of the batch", async (s) => {
      await rejectsWith(s.save([nodeState("n1"), nodeState("n2", { failures: -1 })]), "invalid-argument");
      await rejectsWith(s.save([nodeState("n1", { incident: { id: "i", startedAt: T0, cause: "x", escalated: [20.5] } })]), "invalid-argument");
      await rejectsWith(s.save([nodeState("n1", { health: "dead" as NodeWatchState["health"] })]), "invalid-argument");
      assert.deepEqual(await s.loadAll(), []);
    });

    test("hands out copies: changing a saved or loaded state changes nothing stored", async (s) => {
      const mine = nodeState("n1");
      await s.save([mine]);
      (mine as { failures: number }).failures = 99;
      const loaded = await s.loadAll();
      (loaded[0]?.incident?.escalated as number[]).push(60);
      assert.deepEqual(await s.loadAll(), [nodeState("n1")]);
    });
  });
}
