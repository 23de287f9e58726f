import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { requirePostgres } from "../src/store/postgres/server.test-support.ts";
import { openFleetNetwork, type FleetNetwork } from "./helpers/fleet-netns.ts";
import { fleetWorld, type FleetWorld, type Watcher } from "./helpers/fleet-world.ts";
import { requireNetns } from "./helpers/netns.ts";
import { until } from "./helpers/watch-world.ts";

/**
 * The quorum with real paths: three real watchers, each in its own network namespace, one real
 * PostgreSQL, one simulated SmartNode. An nftables rule inside a watcher's namespace drops what it
 * sends to the node, and nothing else (it still reaches the database, the provider's API and the
 * webhook receiver), so that watcher alone sees the node fail. One cut path is outvoted: no alert,
 * while the leader's /metrics shows that vantage failing and the others not. Two cut paths are a
 * majority: one `down` alert. Healing them: one `recovered` alert.
 */

const INTERVAL_S = 4;
const WATCH = `intervalSeconds: ${INTERVAL_S}, confirmIntervalSeconds: 1, failuresToDown: 2, successesToUp: 1, probeTimeoutSeconds: 1`;
const NAMES = ["fra-1", "sgp-1", "nyc-1"] as const;

const kinds = (f: FleetWorld, kind: string) => f.world.alerts().filter((a) => a.kind === kind);
const dump = (watchers: readonly Watcher[]) => watchers.map((w) => `--- ${w.name}\n${w.stderr().slice(-3000)}`).join("\n");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The leader's nodeward_vantage_node_up for the node, by vantage: "fra-1=1,nyc-1=0,sgp-1=1". */
async function nodeUp(leader: Watcher, node: string): Promise<string> {
  const text = await (await fetch(`${leader.origin}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
  const rows = [...text.matchAll(/^nodeward_vantage_node_up\{([^}]*)\} (\S+)$/gm)]
    .map((m) => ({ labels: m[1]!, value: m[2]! }))
    .filter((r) => r.labels.includes(`node="${node}"`))
    .map((r) => `${/vantage="([^"]+)"/.exec(r.labels)?.[1]}=${r.value}`);
  return rows.sort().join(",");
}

const expected = (cut: readonly string[]) => [...NAMES].sort().map((n) => `${n}=${cut.includes(n) ? 0 : 1}`).join(",");

describe("the quorum across network namespaces", () => {
  it("one cut path is outvoted; two are a down alert, once; healed, one recovered alert", async (t) => {
    if (!(await requireNetns(t)) || !requirePostgres(t)) return;
    const t0 = Date.now();
    const phases: string[] = [];
    const mark = (what: string) => phases.push(`${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    let net: FleetNetwork | undefined;
    let f: FleetWorld | undefined;
    const watchers: Watcher[] = [];
    try {
      net = await openFleetNetwork(NAMES);
      const clients = [...net.vantages.values()].map((v) => `${v.address}/32`);
      f = await fleetWorld(105, { watch: WATCH, at: { services: net.services, nodes: [net.node], clients } });
      const fw = f;
      for (const name of NAMES) watchers.push(await fw.start(name, { netns: net.vantages.get(name)! }));
      const node = fw.world.instances[0]!;
      assert.equal(node.main_ip, net.node);
      const label = "sn-1";

      let leader: Watcher | null = null;
      await until("all three watchers probing and one of them leading", async () => {
        const hs = await Promise.all(watchers.map((w) => w.health()));
        leader = await fw.leader(watchers);
        return hs.every((h) => h !== null && h.nodes === 1 && h.probes >= 2) && hs.filter((h) => h?.fleet?.leader === true).length === 1;
      }, 40_000).catch((e: unknown) => assert.fail(`${(e as Error).message}\n${dump(watchers)}`));
      const lead: Watcher = leader!;
      await until("the leader to see every vantage's result as up", async () => (await nodeUp(lead, label)) === expected([]), 20_000);
      mark("all up");
      // The leader's own path first: its own probe fails and the two others outvote it (its verdict is not its probe).
      const first = lead.name;
      const second = watchers.find((w) => w !== lead)!.name;

      // One path cut: that vantage's probes fail, the other two outvote it.
      await net.cut(first);
      let seen = "";
      await until(`the leader's /metrics to show ${first} failing`, async () => (seen = await nodeUp(lead, label)) === expected([first]), 3 * INTERVAL_S * 1000)
        .catch((e: unknown) => assert.fail(`${(e as Error).message}: ${seen}\n${dump(watchers)}`));
      mark(`${first} seen failing`);
      const view = (await lead.health())?.fleet?.vantages ?? [];
      assert.deepEqual(view.map((v) => `${v.name}:${v.live}`).sort(), [...NAMES].sort().map((n) => `${n}:true`), "the cut vantage still reaches the database: live");
      await sleep(3 * INTERVAL_S * 1000);
      assert.equal(await nodeUp(lead, label), expected([first]), "still only the cut vantage failing");
      assert.deepEqual(kinds(fw, "down"), [], `one cut path must not alert\n${dump(watchers)}`);
      assert.equal(fw.world.alerts().filter((a) => a.kind === "vantage-lost").length, 0, "nobody lost");
      mark("no alert after 3 intervals");

      // Two paths cut: a majority of the live vantages sees the node fail.
      await net.cut(second);
      await until("the down alert", () => kinds(fw, "down").length > 0, 5 * INTERVAL_S * 1000)
        .catch((e: unknown) => assert.fail(`${(e as Error).message}\n${dump(watchers)}`));
      mark("down alert");
      assert.equal(await nodeUp(lead, label), expected([first, second]));
      await sleep(2 * INTERVAL_S * 1000);
      assert.equal(kinds(fw, "down").length, 1, `exactly one down alert\n${dump(watchers)}`);

      // Healed: one recovered alert, and no second down.
      await net.heal(first);
      await net.heal(second);
      await until("the recovered alert", () => kinds(fw, "recovered").length > 0, 4 * INTERVAL_S * 1000)
        .catch((e: unknown) => assert.fail(`${(e as Error).message}\n${dump(watchers)}`));
      mark("recovered alert");
      await sleep(2 * INTERVAL_S * 1000);
      assert.equal(kinds(fw, "recovered").length, 1, `exactly one recovered alert\n${dump(watchers)}`);
      assert.equal(kinds(fw, "down").length, 1);
      assert.equal(await nodeUp(lead, label), expected([]));
      const leaders = (await Promise.all(watchers.map((w) => w.health()))).filter((h) => h?.fleet?.leader === true).length;
      assert.equal(leaders, 1, "still exactly one leader");
      const bodies = fw.world.receiver.requests.map((r) => r.body);
      assert.equal(new Set(bodies).size, bodies.length, "no alert delivered twice");
      mark("done");
      t.diagnostic(phases.join("; "));
    } finally {
      await f?.close();
      await net?.close();
    }
  });
});
