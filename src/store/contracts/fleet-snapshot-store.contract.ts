import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { FleetSnapshot, FleetSnapshotStore } from "../../watch/ports.ts";
import { rejectsWith, withStore, type MakeStore } from "./harness.ts";
import { T0 } from "./samples.ts";

const snapshot = (at: number, names: string[]): FleetSnapshot => ({
  at,
  nodes: names.map((name, i) => ({ nodeId: `id-${name}`, name, address: `192.0.2.${i + 1}`, instanceId: `id-${name}`, p2pPort: 9678, sapiPort: 8080, sapiPath: "/v1/client/status" })),
});

/** The FleetSnapshotStore contract: every implementation must pass it unchanged. */
export function fleetSnapshotStoreContract(name: string, make: MakeStore<FleetSnapshotStore>): void {
  const test = (title: string, fn: (s: FleetSnapshotStore) => Promise<void>) => it(title, () => withStore(make, fn));

  describe(`FleetSnapshotStore contract: ${name}`, () => {
    test("has no fleet before the first save", async (s) => {
      assert.equal(await s.lastFleet(), null);
    });

    test("keeps the last snapshot only, every field of every node", async (s) => {
      await s.saveFleet(snapshot(T0, ["sn-1", "sn-2"]));
      const later = snapshot(T0 + 60_000, ["sn-3"]);
      later.nodes.push({ nodeId: "host:home", name: "узел-1 ✓", address: "2001:db8::1", p2pPort: 9678 });
      await s.saveFleet(later);
      assert.deepEqual(await s.lastFleet(), later);
    });

    test("keeps an empty fleet apart from none", async (s) => {
      await s.saveFleet({ at: T0, nodes: [] });
      assert.deepEqual(await s.lastFleet(), { at: T0, nodes: [] });
    });

    test("refuses a snapshot it could not give back faithfully", async (s) => {
      await rejectsWith(s.saveFleet({ at: T0, nodes: [{ nodeId: "", name: "x", address: "192.0.2.1", p2pPort: 9678 }] }), "invalid-argument");
      await rejectsWith(s.saveFleet({ at: T0, nodes: [{ nodeId: "a", name: "x", address: "192.0.2.1", p2pPort: 99_999 }] }), "invalid-argument");
      await rejectsWith(s.saveFleet({ at: 1.5, nodes: [] }), "invalid-argument");
      assert.equal(await s.lastFleet(), null, "nothing was stored");
    });

    test("hands out copies: changing what was saved or loaded changes nothing stored", async (s) => {
      const snap = snapshot(T0, ["sn-1"]);
      await s.saveFleet(snap);
      snap.nodes[0]!.name = "changed";
      const loaded = (await s.lastFleet())!;
      loaded.nodes.pop();
      assert.deepEqual(await s.lastFleet(), snapshot(T0, ["sn-1"]));
    });
  });
}
