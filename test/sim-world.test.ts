import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { systemClock } from "../src/core/clock.ts";
import { findCoin } from "../src/coins/index.ts";
import { applyPlan } from "../src/firewall/apply.ts";
import { preparePlan } from "../src/firewall/prepare.ts";
import { handshake, p2pParamsFor } from "../src/p2p/index.ts";
import { scanHost } from "../src/scan/index.ts";
import { startWorld } from "../src/sim/world/world.ts";
import { startCheckedSim } from "./helpers/sim.ts";
import { requireNetns } from "./helpers/netns.ts";
import { providerFor, smartnodeRequest } from "./helpers/firewall.ts";

const smartcash = findCoin("smartcash")!;
const PORTS = [22, 80, 8080, 9678];

async function states(address: string): Promise<Record<number, string>> {
  const r = await scanHost(address, { ports: PORTS, initialTimeoutMs: 300, maxRetries: 1 });
  return Object.fromEntries(r.ports.map((p) => [p.port, p.state]));
}

describe("the simulated world: instances as real hosts behind a real packet filter", () => {
  it("follows the simulator's firewall state: open before hardening, only the coin's ports after", async (t) => {
    if (!(await requireNetns(t))) return;
    const sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 100 });
    const bareId = sim.state.addInstance({ label: "sn-bare", tags: ["smartnode"], v6_main_ip: "2001:db8:0:11::1", v6_network: "2001:db8:0:11::", v6_network_size: 64 }).id;
    const looseId = sim.state.addInstance({ label: "sn-loose", tags: ["smartnode"] }).id;
    const old = sim.state.addGroup("default");
    for (const port of ["22", "9678"]) assert.ok(sim.state.addRule(old.id, { ip_type: "v4", protocol: "tcp", port, subnet: "0.0.0.0", subnet_size: 0 }).ok);
    sim.state.attach(looseId, old.id);
    const world = await startWorld({ state: sim.state, coin: smartcash, height: 2_222_222 });
    const bare = sim.state.instance(bareId)!;
    const loose = sim.state.instance(looseId)!;
    try {
      assert.match(bare.main_ip, /^198\.18\./, "the world places instances on routable lab addresses");
      assert.deepEqual(await states(bare.main_ip), { 22: "open", 80: "closed", 8080: "open", 9678: "open" }, "no group: everything reaches the host");
      assert.deepEqual(await states(bare.v6_main_ip), { 22: "open", 80: "closed", 8080: "open", 9678: "open" });
      assert.deepEqual(await states(loose.main_ip), { 22: "open", 80: "filtered", 8080: "filtered", 9678: "open" }, "the permissive group: 22 and 9678 only");

      const hs = await handshake({ host: bare.main_ip, port: 9678 }, p2pParamsFor(smartcash)!, { timeoutMs: 2000 });
      assert.equal(hs.status, "up");
      assert.equal(hs.status === "up" && hs.startHeight, 2_222_222);

      const provider = providerFor(sim, { maxRequestsPerSecond: 500 });
      await applyPlan(await preparePlan(provider, smartnodeRequest()), { provider, clock: systemClock, attachConcurrency: 4, attachTimeoutMs: 10_000, pollIntervalMs: 50 });
      await world.synced();
      for (const a of [bare.main_ip, bare.v6_main_ip, loose.main_ip]) {
        assert.deepEqual(await states(a), { 22: "filtered", 80: "filtered", 8080: "open", 9678: "open" }, `${a} after apply`);
      }

      await world.stopNode(bare.id);
      assert.equal((await states(bare.main_ip))[9678], "closed", "a stopped daemon behind an open rule answers RST");
      await world.startNode(bare.id);
      assert.equal((await states(bare.main_ip))[9678], "open");
    } finally {
      await world.close();
      await sim.closeAndCheck();
    }
  });
});
