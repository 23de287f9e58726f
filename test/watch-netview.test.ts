import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { startReceiver } from "../src/alerts/testing/http-receiver.ts";
import { startWatch } from "../src/cli/watch/compose.ts";
import { findCoin } from "../src/coins/index.ts";
import { parseConfigText } from "../src/config/load.ts";
import { systemClock } from "../src/core/clock.ts";
import { createLogger } from "../src/core/logger.ts";
import { Redactor } from "../src/core/redact.ts";
import { p2pParamsFor } from "../src/p2p/index.ts";
import { createVultrProvider } from "../src/providers/vultr/adapter.ts";
import { createNetworkList } from "../src/sim/smartnode/network-list.ts";
import { startSimulatedNode, type SimulatedNode } from "../src/sim/smartnode/index.ts";
import { openSqliteStore } from "../src/store/index.ts";
import { startCheckedSim } from "./helpers/sim.ts";

/**
 * The watch daemon asking the network about its nodes, end to end on loopback: simulated SmartNodes
 * that answer the handshake and `dseg` from one shared list (as synced peers of one network do), the
 * real survey over TCP, the SQLite store, and a webhook receiving the alerts. The nodes ask each
 * other: the fleet's answering nodes are the peers, none is asked about itself.
 */

const coin = findCoin("smartcash")!;
const params = p2pParamsFor(coin)!;
const until = async (what: string, cond: () => boolean | Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe("nodeward watch asks the network", () => {
  it("alerts a node that answers the handshake but is stale or EXPIRED in the network, and its return", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nodeward-netview-"));
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    const receiver = await startReceiver({ status: 204 });
    const list = createNetworkList({ coin });
    const outpoint = (n: number) => ({ txid: `${n}`.repeat(64), index: n });
    // The network has sn-1 fresh, sn-2 with a ping 50 min old (unseen: past unseenAfterMinutes 45), sn-3 70 min old (EXPIRED).
    const pings = [{ n: 1, ping: "fresh" as const }, { n: 2, ping: { staleMinutes: 50 } }, { n: 3, ping: { staleMinutes: 70 } }];
    // Peers never hand out an entry with a local address, so the announces name test addresses: a problem the alerts carry.
    for (const { n, ping } of pings) list.set({ outpoint: outpoint(n), addr: { ip: `198.18.0.${n}`, port: 9678 }, ping });
    const instances = [1, 2, 3].map((n) => sim.state.addInstance({ label: `sn-${n}`, tags: ["smartnode"], main_ip: `127.105.0.${n}` }));
    const nodes: SimulatedNode[] = [];
    for (const i of instances) nodes.push(await startSimulatedNode({ host: i.main_ip, p2pPort: 9678, sapiPort: 8080, params, network: list }));
    const smartnodes = [1, 2, 3].map((n) => `  - { alias: mn-${n}, address: "127.105.0.${n}:9678", txid: "${outpoint(n).txid}", index: ${n} }`).join("\n");
    const { config } = parseConfigText(
      `version: 1
provider: { type: vultr, baseUrl: "${sim.url}" }
coin: smartcash
nodes: { tags: [smartnode] }
watch: { intervalSeconds: 1, confirmIntervalSeconds: 1, probeTimeoutSeconds: 1, listen: "127.0.0.1:0" }
smartnodes:
${smartnodes}
netview: { intervalSeconds: 5, peersPerNode: 2, timeoutSeconds: 3 }
alerts:
  channels:
    - { type: webhook, name: test-hook, url: "${receiver.origin}/hook" }
`,
      "nodeward.yaml",
    );
    const redactor = new Redactor();
    const stores = openSqliteStore(join(dir, "nodeward.db"));
    const log = createLogger({ level: "warn", pretty: false, redactor, out: new Writable({ write: (_c, _e, cb) => cb() }) });
    const provider = createVultrProvider({ baseUrl: sim.url, apiKey: sim.apiKey, maxRequestsPerSecond: 100, timeoutMs: 5000, clock: systemClock, redactor });
    const watch = await startWatch({ config, provider, clock: systemClock, log, redactor, env: { VULTR_API_KEY: sim.apiKey }, stores });
    type Sent = { event: { kind: string; node: { name: string }; state: string; detail: string; cleared?: string }; text: string };
    const sent = () => receiver.requests.map((r) => JSON.parse(r.body) as Sent).filter((s) => s.event.kind !== "degraded");
    const said = () => sent().map((s) => `${s.event.kind} ${s.event.node.name}`).sort();
    try {
      await until("the network's alerts", () => said().length >= 2);
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(said(), ["network-expired sn-3", "unseen-by-network sn-2"]);
      const expired = sent().find((s) => s.event.kind === "network-expired")!;
      assert.equal(expired.event.state, "EXPIRED");
      assert.match(expired.event.detail, /the network has the node at 198\.18\.0\.3:9678, not at 127\.105\.0\.3:9678/);
      assert.match(expired.text, /What to do: the network stopped counting its pings/);
      for (const i of instances) assert.equal(watch.engine.state(i.id)?.health, "up", "every node still answers the handshake");
      for (const n of nodes) assert.equal(n.stats().listRequests, 0, "never asked for the whole list");

      const rows = Object.fromEntries((await stores.netview.latestNetview()).map((r) => [r.nodeId, `${r.state}/${r.condition}`]));
      assert.deepEqual(rows, { [instances[0]!.id]: "ENABLED/ok", [instances[1]!.id]: "ENABLED/unseen", [instances[2]!.id]: "EXPIRED/expired" });
      const metrics = await (await fetch(`${watch.url}/metrics`)).text();
      assert.match(metrics, /nodeward_network_state\{node="sn-3",state="EXPIRED"\} 1/);
      assert.match(metrics, /nodeward_network_peers_answered\{node="sn-1"\} 2/);
      assert.match(metrics, /nodeward_network_minutes_to_expired\{node="sn-2"\} 1[45]/);

      // sn-2's ping reaches the network again: network-ok, once.
      list.set({ outpoint: outpoint(2), addr: { ip: "198.18.0.2", port: 9678 }, ping: "fresh" });
      await until("network-ok for sn-2", () => said().includes("network-ok sn-2"));
      const ok = sent().find((s) => s.event.kind === "network-ok")!;
      assert.equal(ok.event.cleared, "unseen-by-network");
      await new Promise((r) => setTimeout(r, 5_500));
      assert.deepEqual(said(), ["network-expired sn-3", "network-ok sn-2", "unseen-by-network sn-2"], "nothing repeated at the next round");
    } finally {
      await watch.stop();
      stores.close();
      for (const n of nodes) await n.close().catch(() => undefined);
      await receiver.close();
      await sim.closeAndCheck();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
