import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { systemClock } from "../src/core/clock.ts";
import { applyPlan } from "../src/firewall/apply.ts";
import { preparePlan } from "../src/firewall/prepare.ts";
import { seedFleet } from "../src/sim/seed.ts";
import { startCheckedSim } from "./helpers/sim.ts";
import { providerFor, SMARTCASH_POLICY, smartnodeRequest } from "./helpers/firewall.ts";
import { simConfig } from "./helpers/cli.ts";
import { auditContext, check, statuses } from "./helpers/audit.ts";

const FIREWALL_CHECKS = ["firewall.group", "firewall.rules", "firewall.ssh", "firewall.attached", "firewall.ipv6"];

describe("audit: cloud firewall checks on the simulator", () => {
  it("fails an exposed fleet on every firewall check and passes it once applied, reading only", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 20 });
    const seeded = seedFleet(sim.state, { count: 4, seed: 8, tags: ["smartnode"], ipv6Fraction: 0.5, permissiveFraction: 0.5, noGroupFraction: 0.5 });
    try {
      const before = auditContext({ yaml: simConfig(sim.url), sim }).ctx;
      const writes = sim.stats().writes;
      for (const id of FIREWALL_CHECKS) {
        const out = await check(id, before);
        assert.ok(out.length > 0 && out.every((o) => o.status === "fail"), `${id}: ${JSON.stringify(out)}`);
        assert.ok(out.every((o) => o.fix !== undefined && o.evidence.length > 5), `${id} gives evidence and a fix`);
      }
      assert.equal(sim.stats().writes, writes, "the audit makes no write call");
      const ssh = await check("firewall.ssh", before);
      assert.equal(ssh.length, seeded.count, "one SSH result per node");
      assert.ok(ssh.some((o) => /accepts SSH from the whole Internet/.test(o.evidence)));
      assert.ok(ssh.some((o) => /no firewall group/.test(o.evidence)));
      assert.equal((await check("firewall.ipv6", before)).length, seeded.withIpv6);

      const provider = providerFor(sim, { maxRequestsPerSecond: 500 });
      await applyPlan(await preparePlan(provider, smartnodeRequest()), { provider, clock: systemClock, attachConcurrency: 4, attachTimeoutMs: 10_000, pollIntervalMs: 20 });
      const after = auditContext({ yaml: simConfig(sim.url), sim }).ctx;
      for (const id of FIREWALL_CHECKS) {
        const out = await check(id, after);
        assert.ok(out.every((o) => o.status === "pass" && o.fix === undefined), `${id}: ${JSON.stringify(out)}`);
      }
      assert.match((await check("firewall.rules", after))[0]!.evidence, /exactly the policy: tcp 9678 .*tcp 8080/);
      assert.match((await check("firewall.ipv6", after))[0]!.evidence, /accepts tcp 9678, tcp 8080 over IPv6/);

      // Someone opens SSH to the world on the group, outside nodeward.
      const group = sim.state.groups().find((g) => g.description === SMARTCASH_POLICY.description)!;
      sim.state.addRule(group.id, { ip_type: "v4", protocol: "tcp", port: "22", subnet: "0.0.0.0", subnet_size: 0, notes: "quick fix" });
      const drifted = auditContext({ yaml: simConfig(sim.url), sim }).ctx;
      const rules = await check("firewall.rules", drifted);
      assert.deepEqual(statuses(rules), ["fail"]);
      assert.match(rules[0]!.evidence, /tcp 22 .* open to the whole Internet/);
      assert.ok(statuses(await check("firewall.ssh", drifted)).every((s) => s === "fail"));
      assert.ok(statuses(await check("firewall.attached", drifted)).every((s) => s === "pass"));
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("passes SSH restricted to the admin's address, and explains the guide's 9678-only policy", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 20 });
    seedFleet(sim.state, { count: 2, seed: 3, tags: ["smartnode"], ipv6Fraction: 0 });
    const admin = "firewall:\n  adminAccess: [{cidr: 203.0.113.7/32, port: 22, note: home}]\n";
    try {
      const provider = providerFor(sim, { maxRequestsPerSecond: 500 });
      const policy = { ...SMARTCASH_POLICY, adminAccess: [{ cidr: "203.0.113.7/32", port: 22, protocol: "tcp" as const, note: "home" }] };
      await applyPlan(await preparePlan(provider, smartnodeRequest(policy)), { provider, clock: systemClock, attachConcurrency: 2, attachTimeoutMs: 10_000, pollIntervalMs: 20 });
      const { ctx } = auditContext({ yaml: simConfig(sim.url, admin), sim });
      const ssh = await check("firewall.ssh", ctx);
      assert.deepEqual(statuses(ssh), ["pass", "pass"]);
      assert.match(ssh[0]!.evidence, /SSH only from 203\.0\.113\.7\/32/);
      assert.deepEqual(statuses(await check("firewall.rules", ctx)), ["pass"]);
      assert.match((await check("firewall.ipv6", ctx))[0]!.evidence, /none of the 2 selected instances has IPv6/);

      const legacy = auditContext({ yaml: simConfig(sim.url, admin).replace("coin: smartcash", "coin: smartcash-legacy"), sim }).ctx;
      const rules = await check("firewall.rules", legacy);
      assert.equal(rules[0]!.status, "fail", "8080 is not in the legacy policy, so the group has an extra rule");
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("says attention for the guide's 9678-only policy when the group matches it", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 20 });
    seedFleet(sim.state, { count: 1, seed: 5, tags: ["smartnode"], ipv6Fraction: 0 });
    try {
      const provider = providerFor(sim, { maxRequestsPerSecond: 500 });
      const policy = { ...SMARTCASH_POLICY, ports: [SMARTCASH_POLICY.ports[0]!] };
      await applyPlan(await preparePlan(provider, smartnodeRequest(policy)), { provider, clock: systemClock, attachConcurrency: 1, attachTimeoutMs: 10_000, pollIntervalMs: 20 });
      const { ctx } = auditContext({ yaml: simConfig(sim.url).replace("coin: smartcash", "coin: smartcash-legacy"), sim });
      const [r] = await check("firewall.rules", ctx);
      assert.equal(r?.status, "attention");
      assert.match(r?.evidence ?? "", /EXPIRED after 65 minutes/);
      assert.match(r?.fix ?? "", /coin: smartcash/);
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("cannot check without the provider, and fails an ambiguous group", async () => {
    const none = auditContext({ yaml: simConfig("http://127.0.0.1:9") }).ctx;
    for (const id of FIREWALL_CHECKS) {
      const [r] = await check(id, none);
      assert.equal(r?.status, "cannot-check", id);
      assert.match(r?.evidence ?? "", /VULTR_API_KEY/);
    }
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    seedFleet(sim.state, { count: 1, seed: 2, tags: ["smartnode"] });
    sim.state.addGroup("SmartNodes Only");
    sim.state.addGroup("SmartNodes Only");
    try {
      const { ctx } = auditContext({ yaml: simConfig(sim.url), sim });
      const [g] = await check("firewall.group", ctx);
      assert.equal(g?.status, "fail");
      assert.match(g?.evidence ?? "", /2 firewall groups are described "SmartNodes Only"/);
      assert.equal((await check("firewall.rules", ctx))[0]?.status, "cannot-check");
    } finally {
      await sim.closeAndCheck();
    }
  });
});
