import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { systemClock } from "../src/core/clock.ts";
import { findCoin } from "../src/coins/index.ts";
import { applyPlan } from "../src/firewall/apply.ts";
import { preparePlan } from "../src/firewall/prepare.ts";
import { p2pParamsFor } from "../src/p2p/index.ts";
import { seedFleet } from "../src/sim/seed.ts";
import { startSimulatedNode } from "../src/sim/smartnode/index.ts";
import { startWorld } from "../src/sim/world/world.ts";
import { startCheckedSim } from "./helpers/sim.ts";
import { requireNetns } from "./helpers/netns.ts";
import { runCli, simConfig, tempProject } from "./helpers/cli.ts";
import { providerFor, smartnodeRequest } from "./helpers/firewall.ts";

const smartcash = findCoin("smartcash")!;

interface VerifyJson {
  ok: boolean;
  nodes: { name: string; source: string; addresses: { address: string; open: number[]; closed: number[]; filtered: number; handshake: { result: { status: string } } | null }[]; findings: { kind: string }[] }[];
}

describe("nodeward verify", () => {
  it("tells a RST from a filtered port on a static host: no firewall in front of loopback, exit 2", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    seedFleet(sim.state, { count: 1, seed: 1, tags: ["other"] });
    const node = await startSimulatedNode({ host: "127.0.0.77", p2pPort: 9678, sapiPort: 8080, params: p2pParamsFor(smartcash)!, height: 777 });
    const p = tempProject(simConfig(sim.url).replace("tags: [smartnode]", "tags: [nothing]") + "hosts:\n  - name: home-node\n    addresses: [127.0.0.77]\n");
    try {
      const r = await runCli(["verify", "home-node", "--json"], { cwd: p.dir, env: { VULTR_API_KEY: sim.apiKey } });
      assert.equal(r.code, 2, r.stderr);
      const out = JSON.parse(r.stdout) as VerifyJson;
      const [n] = out.nodes;
      assert.equal(n?.source, "static");
      assert.deepEqual(n?.addresses[0]?.open, [8080, 9678]);
      assert.equal(n?.addresses[0]?.handshake?.result.status, "up");
      assert.deepEqual(n?.findings.map((f) => f.kind), ["not-filtered"]);

      const coinOnly = await runCli(["verify", "127.0.0.77", "--ports", "coin"], { cwd: p.dir, env: { VULTR_API_KEY: sim.apiKey } });
      assert.equal(coinOnly.code, 0, coinOnly.stdout + coinOnly.stderr);
      assert.match(coinOnly.stdout, /handshake\s+up on 9678 .* height 777/);

      const unknown = await runCli(["verify", "nope"], { cwd: p.dir, env: { VULTR_API_KEY: sim.apiKey } });
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /not a selected node or static host: nope/);
    } finally {
      p.cleanup();
      await node.close();
      await sim.closeAndCheck();
    }
  });

  it("fails the exposed fleet and passes it once hardened, through a real packet filter", async (t) => {
    if (!(await requireNetns(t))) return;
    const sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 50 });
    seedFleet(sim.state, { count: 4, seed: 8, tags: ["smartnode"], ipv6Fraction: 0.5, permissiveFraction: 0.5, noGroupFraction: 0.5 });
    const world = await startWorld({ state: sim.state, coin: smartcash });
    const p = tempProject(simConfig(sim.url) + "verify:\n  ports: \"22,80,443,9679\"\n");
    const env = { VULTR_API_KEY: sim.apiKey };
    try {
      const before = await runCli(["verify", "--json"], { cwd: p.dir, env });
      assert.equal(before.code, 2, before.stderr);
      const kinds = new Set((JSON.parse(before.stdout) as VerifyJson).nodes.flatMap((n) => n.findings.map((f) => f.kind)));
      assert.ok(kinds.has("unexpected-open"), "SSH answers before hardening");
      assert.ok(kinds.has("required-port-not-open"), "the permissive group blocks SAPI 8080");

      const provider = providerFor(sim, { maxRequestsPerSecond: 500 });
      await applyPlan(await preparePlan(provider, smartnodeRequest()), { provider, clock: systemClock, attachConcurrency: 4, attachTimeoutMs: 10_000, pollIntervalMs: 50 });
      await world.synced();

      const after = await runCli(["verify", "--json"], { cwd: p.dir, env });
      assert.equal(after.code, 0, after.stdout);
      const out = JSON.parse(after.stdout) as VerifyJson;
      assert.equal(out.ok, true);
      const addrs = out.nodes.flatMap((n) => n.addresses);
      assert.ok(addrs.some((a) => a.address.includes(":")), "IPv6 addresses are verified too");
      for (const a of addrs) {
        assert.deepEqual(a.open, [8080, 9678]);
        assert.deepEqual(a.closed, []);
        assert.equal(a.filtered, 4);
      }
    } finally {
      p.cleanup();
      await world.close();
      await sim.closeAndCheck();
    }
  });
});
