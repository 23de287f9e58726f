import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { startReceiver } from "../src/alerts/testing/http-receiver.ts";
import { findCoin } from "../src/coins/index.ts";
import { systemClock } from "../src/core/clock.ts";
import { applyPlan } from "../src/firewall/apply.ts";
import { preparePlan } from "../src/firewall/prepare.ts";
import { demoCollateral } from "../src/cli/demo/collateral.ts";
import { seedFleet } from "../src/sim/seed.ts";
import { startWorld } from "../src/sim/world/world.ts";
import { providerFor, smartnodeRequest } from "./helpers/firewall.ts";
import { requireNetns } from "./helpers/netns.ts";
import { startCheckedSim } from "./helpers/sim.ts";
import { tempProject } from "./helpers/cli.ts";
import { freePort, until } from "./helpers/watch-world.ts";

/**
 * The silent failure, end to end through real parts: SmartNodes in a network namespace behind the
 * nftables ruleset that follows the simulator's hardened firewall, one shared SmartNode list among
 * them, and the shipped `nodeward watch` asking the other nodes about each. A node whose pings the
 * network stopped counting still answers every handshake; the watcher must say so within one
 * query period (`unseen-by-network`), while its probes keep calling the node up.
 */

const BIN = new URL("../bin/nodeward.js", import.meta.url).pathname;
const smartcash = findCoin("smartcash")!;
const INTERVAL_S = 5;
const TIMEOUT_S = 3;

interface Seen {
  kind: string;
  node?: { id: string; name: string };
  state?: string;
  at: number;
}

describe("nodeward watch and the network's view, in a network namespace", () => {
  it("alerts unseen-by-network within one query period for a node whose pings are stale, while its handshake stays up", async (t) => {
    if (!(await requireNetns(t))) return;
    const sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 50 });
    seedFleet(sim.state, { count: 4, seed: 14, tags: ["smartnode"], ipv6Fraction: 0, permissiveFraction: 0.5, noGroupFraction: 0.5 });
    const world = await startWorld({ state: sim.state, coin: smartcash, collateralOf: demoCollateral });
    const receiver = await startReceiver({ status: 204 });
    const project = tempProject();
    const port = await freePort();
    const children: ChildProcess[] = [];
    try {
      const provider = providerFor(sim, { maxRequestsPerSecond: 500 });
      await applyPlan(await preparePlan(provider, smartnodeRequest()), { provider, clock: systemClock, attachConcurrency: 4, attachTimeoutMs: 10_000, pollIntervalMs: 50 });
      await world.synced();
      const nodes = sim.state.instances().filter((i) => i.tags.includes("smartnode"));
      const smartnodes = nodes.map((i) => {
        const c = demoCollateral(i.id);
        return `  - { alias: ${JSON.stringify(i.label)}, address: "${i.main_ip}:9678", txid: ${c.txid}, index: ${c.index} }`;
      });
      writeFileSync(
        project.file,
        `version: 1
provider: { type: vultr, baseUrl: "${sim.url}", timeoutSeconds: 2 }
coin: smartcash
nodes: { tags: [smartnode] }
watch: { intervalSeconds: 1, confirmIntervalSeconds: 1, failuresToDown: 2, successesToUp: 1, probeTimeoutSeconds: 1, listen: "127.0.0.1:${port}" }
smartnodes:
${smartnodes.join("\n")}
netview: { intervalSeconds: ${INTERVAL_S}, timeoutSeconds: ${TIMEOUT_S}, unseenAfterMinutes: 45 }
alerts:
  channels:
    - { type: webhook, name: hook, url: "${receiver.origin}/hook" }
`,
      );
      const [quiet, stale] = [nodes[0]!, nodes[1]!];
      // sn "stale" has pinged 50 minutes ago: past unseenAfterMinutes, not yet EXPIRED (65).
      await world.setNetwork(stale.id, { ping: { staleMinutes: 50 } });
      const child = spawn(process.execPath, [BIN, "watch"], {
        cwd: project.dir,
        env: { PATH: process.env.PATH, HOME: project.dir, VULTR_API_KEY: sim.apiKey, NO_COLOR: "1" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      children.push(child);
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const alerts = () => receiver.requests.map((r) => (JSON.parse(r.body) as { event: Seen }).event);
      const metrics = async () => {
        try {
          return await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
        } catch {
          return "";
        }
      };
      const up = (text: string, label: string) => new RegExp(`^nodeward_node_up\\{node="${label}"\\} 1$`, "m").test(text);

      // The first query runs one period after start; the stale node is then unseen, the others are not.
      await until("unseen-by-network for the stale node", () => alerts().some((a) => a.kind === "unseen-by-network" && a.node?.id === stale.id), (2 * INTERVAL_S + TIMEOUT_S + 10) * 1000).catch((e: unknown) => {
        throw new Error(`${(e as Error).message}; alerts: ${JSON.stringify(alerts())}; stderr: ${stderr.slice(-2000)}`);
      });
      const text = await metrics();
      assert.ok(up(text, stale.label), `the handshake probe still says the stale node is up:\n${text.split("\n").filter((l) => l.startsWith("nodeward_node_up")).join("\n")}`);
      assert.match(text, new RegExp(`^nodeward_network_state\\{[^}]*node="${stale.label}"[^}]*state="ENABLED"[^}]*\\} 1$`, "m"), "the network's state is ENABLED: the ping is only stale");
      assert.deepEqual(alerts().filter((a) => a.kind.startsWith("network") || a.kind === "unseen-by-network").map((a) => a.node?.id), [stale.id], "no other node is alerted");
      assert.ok(!alerts().some((a) => a.kind === "down"), "no node is down for the probes");

      // A node that goes stale while watched is alerted within one query period of the change.
      const changedAt = Date.now();
      await world.setNetwork(quiet.id, { ping: { staleMinutes: 50 } });
      await until("unseen-by-network for the node that went stale", () => alerts().some((a) => a.kind === "unseen-by-network" && a.node?.id === quiet.id), (INTERVAL_S + TIMEOUT_S + 5) * 1000);
      const seenAfter = Date.now() - changedAt;
      assert.ok(seenAfter <= (INTERVAL_S + TIMEOUT_S + 5) * 1000, `alerted ${seenAfter} ms after the change`);
      assert.ok(up(await metrics(), quiet.label), "the probes still say the node is up");

      // Started again: its pings are counted, and the clearing is alerted once.
      await world.setNetwork(stale.id, { ping: "fresh" });
      await until("network-ok for the node started again", () => alerts().some((a) => a.kind === "network-ok" && a.node?.id === stale.id), (INTERVAL_S + TIMEOUT_S + 5) * 1000);
      assert.equal(alerts().filter((a) => a.kind === "unseen-by-network" && a.node?.id === stale.id).length, 1, "unseen is alerted once, not once per query");
    } finally {
      for (const c of children) {
        if (c.exitCode === null && c.signalCode === null) {
          c.kill("SIGKILL");
          await once(c, "exit");
        }
      }
      project.cleanup();
      await receiver.close();
      await world.close();
      await sim.closeAndCheck();
    }
  });
});
