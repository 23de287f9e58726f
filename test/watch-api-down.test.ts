import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { until, watchWorld } from "./helpers/watch-world.ts";

describe("nodeward watch while the provider's API is unreachable", () => {
  it("starts with the fleet it knew and the static hosts, alerts it, retries, and clears the fault when the API answers", async () => {
    const world = await watchWorld(99);
    const children: ChildProcess[] = [];
    try {
      const db = join(world.project.dir, "nodeward.db");
      const home = "127.99.0.9";
      await world.serveAt(home);
      world.configure(`database: "${db}"`, `hosts:\n  - { name: home-node, addresses: ["${home}"] }\n`);

      // A first run lists the fleet once, and stops.
      const first = world.spawnWatch();
      children.push(first);
      await until("the first watcher probing its 3 nodes", async () => (await world.health())?.nodes === 3);
      first.kill("SIGTERM");
      await once(first, "exit");

      // Now every connection to the API is dropped.
      world.sim.setFaults({ dropRate: 1 });
      const second = world.spawnWatch();
      children.push(second);
      await until("the watcher serving /healthz without the API", async () => (await world.health()) !== null, 60_000);
      await until("the inventory fault", async () => (await world.health())?.faults?.some((f) => f.fault === "inventory") === true, 60_000);
      const h = (await world.health())!;
      assert.equal(h.status, "degraded");
      assert.equal(h.nodes, 3, "the two known instances and the static host");
      assert.match(h.faults.find((f) => f.fault === "inventory")!.detail, /watching the 2 instances it listed at/);
      await until("probes of the known nodes", async () => ((await world.health())?.probes ?? 0) >= 6);
      await until("the inventory alert", () => world.alerts().some((a) => a.kind === "watcher-fault" && a.fault === "inventory"));
      assert.doesNotMatch(second.stderrText(), /at .*\.ts:\d+/, "no stack trace");

      world.sim.clearFaults();
      await until("the fault cleared once the API answers", () => world.alerts().some((a) => a.kind === "watcher-fault-cleared" && a.fault === "inventory"), 60_000);
      assert.equal((await world.health())?.status, "ok");
      second.kill("SIGTERM");
      const [code] = (await once(second, "exit")) as [number | null];
      assert.equal(code, 0, second.stderrText());
    } finally {
      await world.close(children);
    }
  });
});
