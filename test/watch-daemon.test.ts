import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { systemClock } from "../src/core/clock.ts";
import { createLogger } from "../src/core/logger.ts";
import { Redactor } from "../src/core/redact.ts";
import { findCoin } from "../src/coins/index.ts";
import { parseConfigText } from "../src/config/load.ts";
import { p2pParamsFor } from "../src/p2p/index.ts";
import { createVultrProvider } from "../src/providers/vultr/adapter.ts";
import { startSimulatedNode, type SimulatedNode } from "../src/sim/smartnode/index.ts";
import { openSqliteStore } from "../src/store/index.ts";
import { startWatch } from "../src/cli/watch/compose.ts";
import { startReceiver } from "../src/alerts/testing/http-receiver.ts";
import { startCheckedSim } from "./helpers/sim.ts";

const params = p2pParamsFor(findCoin("smartcash")!)!;
const until = async (what: string, cond: () => boolean | Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe("nodeward watch, end to end on loopback", () => {
  it("alerts a node that goes down, reboots it through the provider, and alerts its recovery", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nodeward-watch-"));
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    const receiver = await startReceiver({ status: 204 });
    const nodes = new Map<string, SimulatedNode>();
    const up = async (id: string, host: string) => nodes.set(id, await startSimulatedNode({ host, p2pPort: 9678, sapiPort: 8080, params, height: 2_500_000 }));
    const instances = [1, 2, 3].map((n) => sim.state.addInstance({ label: `sn-${n}`, tags: ["smartnode"], main_ip: `127.91.0.${n}` }));
    sim.state.addInstance({ label: "web", tags: ["web"], main_ip: "127.91.0.9" });
    for (const i of instances) await up(i.id, i.main_ip);
    // A reboot through the API brings the node's daemon back after a moment, as on a real server.
    sim.state.onPower((id, action) => {
      if (action !== "reboot") return;
      const inst = instances.find((i) => i.id === id);
      if (inst) setTimeout(() => void up(id, inst.main_ip), 500);
    });
    const { config } = parseConfigText(
      `version: 1
provider: { type: vultr, baseUrl: "${sim.url}" }
coin: smartcash
nodes: { tags: [smartnode] }
watch: { intervalSeconds: 1, confirmIntervalSeconds: 1, failuresToDown: 2, successesToUp: 1, probeTimeoutSeconds: 1, listen: "127.0.0.1:0" }
remediation: { enabled: true, afterMinutes: 0.1, windowMinutes: 30 }
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
    const kinds = () => receiver.requests.map((r) => (JSON.parse(r.body) as { event: { kind: string } }).event.kind);
    try {
      await until("every node up", () => instances.every((i) => watch.engine.state(i.id)?.health === "up"));
      assert.equal(watch.engine.nodes().length, 3, "the web server is not watched");

      const victim = instances[1]!;
      await nodes.get(victim.id)!.close();
      await until("the down alert", () => kinds().includes("down"));
      const down = JSON.parse(receiver.requests.find((r) => r.body.includes('"kind":"down"'))!.body) as { event: { node: { name: string }; clock: { expiresAt: number } }; text: string };
      assert.equal(down.event.node.name, "sn-2");
      assert.match(down.text, /EXPIRED/);

      await until("the reboot through the provider", () => sim.state.powerEvents(victim.id).some((e) => e.action === "reboot"));
      await until("the recovered alert", () => kinds().includes("recovered"));
      assert.deepEqual(kinds().filter((k) => k !== "remediation"), ["down", "recovered"]);
      assert.ok(kinds().includes("remediation"));
      assert.equal(sim.state.powerEvents(instances[0]!.id).length, 0, "a healthy node is never rebooted");

      const [incident] = await stores.incidents.list({ nodeId: victim.id, limit: 1 });
      assert.deepEqual(incident?.timeline.map((e) => e.kind), ["down", "remediation", "recovered"]);

      const metrics = await (await fetch(`${watch.url}/metrics`)).text();
      assert.match(metrics, /nodeward_node_up\{node="sn-2"\} 1/);
      assert.match(metrics, /nodeward_alert_outbox_depth 0/);
      const health = (await (await fetch(`${watch.url}/healthz`)).json()) as { status: string; nodes: number };
      assert.deepEqual([health.status, health.nodes], ["ok", 3]);
    } finally {
      await watch.stop();
      stores.close();
      for (const n of nodes.values()) await n.close().catch(() => undefined);
      await receiver.close();
      await sim.closeAndCheck();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
