import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { systemClock } from "../src/core/clock.ts";
import { AppError } from "../src/core/errors.ts";
import { applyPlan, type ApplyEvent } from "../src/firewall/apply.ts";
import { preparePlan } from "../src/firewall/prepare.ts";
import { seedFleet } from "../src/sim/seed.ts";
import { startCheckedSim } from "./helpers/sim.ts";
import { invariant1Violations, providerFor, SMARTCASH_POLICY, smartnodeRequest } from "./helpers/firewall.ts";

const applyOpts = (provider: ReturnType<typeof providerFor>, onEvent?: (e: ApplyEvent) => void) => ({
  provider,
  clock: systemClock,
  attachConcurrency: 8,
  attachTimeoutMs: 20_000,
  pollIntervalMs: 100,
  onEvent,
});

describe("firewall apply on the simulator", () => {
  it("hardens a mixed fleet, leaves other servers alone, and a second run makes zero write calls", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 150 });
    try {
      seedFleet(sim.state, { count: 20, seed: 3, tags: ["smartnode"], ipv6Fraction: 0.3, permissiveFraction: 0.4, noGroupFraction: 0.6 });
      const web = sim.state.addInstance({ label: "web-1", tags: ["web"] });
      const provider = providerFor(sim, { maxRequestsPerSecond: 500 });
      const req = smartnodeRequest();

      const first = await preparePlan(provider, req);
      assert.ok(first.plan.changes.length > 20);
      assert.equal(first.policy.ipv6, true, "some seeded nodes have IPv6");
      const events: ApplyEvent["kind"][] = [];
      const result = await applyPlan(first, applyOpts(provider, (e) => events.push(e.kind)));
      assert.equal(result.attached, 20);
      assert.equal(result.rulesCreated, 4, "9678 and 8080, for v4 and v6");
      const firstAttach = events.indexOf("attach-sent");
      assert.ok(events.indexOf("rules-verified") < firstAttach, "read-back happens before any attach");

      const second = await preparePlan(provider, req);
      assert.deepEqual(second.plan.changes, []);
      const writes = sim.stats().writes;
      await applyPlan(second, applyOpts(provider));
      assert.equal(sim.stats().writes, writes, "a converged apply makes zero write calls");

      const webNow = sim.state.instances().find((i) => i.id === web.id);
      assert.equal(webNow?.firewall_group_id, "", "an unselected server is not touched");
      assert.ok(sim.state.groups().some((g) => g.description === "default"), "the permissive group is never deleted");
      assert.equal(sim.stats().byKind["DELETE /firewalls/{id}"] ?? 0, 0);
      assert.deepEqual(invariant1Violations(sim, "SmartNodes Only", SMARTCASH_POLICY, first.selected), []);
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("removes an SSH rule added outside nodeward only after every attachment is visible", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 200 });
    try {
      seedFleet(sim.state, { count: 6, seed: 9, tags: ["smartnode"], noGroupFraction: 1, ipv6Fraction: 0 });
      const provider = providerFor(sim, { maxRequestsPerSecond: 500 });
      const group = sim.state.addGroup("SmartNodes Only");
      sim.state.addRule(group.id, { ip_type: "v4", protocol: "tcp", port: "22", subnet: "0.0.0.0", subnet_size: 0, notes: "web UI" });
      const prepared = await preparePlan(provider, smartnodeRequest());
      assert.deepEqual(prepared.plan.findings.filter((f) => f.kind === "rule-extra").length, 1);
      const events: ApplyEvent[] = [];
      await applyPlan(prepared, applyOpts(provider, (e) => events.push(e)));
      const allVisible = events.findIndex((e) => e.kind === "attach-visible" && e.visible === e.total);
      const deleted = events.findIndex((e) => e.kind === "rule-deleted");
      assert.ok(allVisible >= 0 && deleted > allVisible, "stray rules go last");
      assert.ok(events.filter((e) => e.kind === "attach-visible").length >= 2, "the 202 was polled until visible");
      assert.deepEqual(sim.state.rules(group.id).map((r) => r.port).sort(), ["8080", "9678"]);
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("polls visibility with list pages, not a GET per instance", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 300 });
    try {
      seedFleet(sim.state, { count: 120, seed: 4, tags: ["smartnode"], noGroupFraction: 1 });
      const provider = providerFor(sim, { maxRequestsPerSecond: 1000 });
      await applyPlan(await preparePlan(provider, smartnodeRequest()), applyOpts(provider));
      const kinds = sim.stats().byKind;
      assert.equal(kinds["PATCH /instances/{id}"], 120);
      assert.equal(kinds["GET /instances/{id}"] ?? 0, 0);
      assert.ok((kinds["GET /instances"] ?? 0) < 20, `list calls: ${kinds["GET /instances"]}`);
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("refuses to guess between two groups with the policy's description", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    try {
      seedFleet(sim.state, { count: 2, seed: 1, tags: ["smartnode"] });
      sim.state.addGroup("SmartNodes Only");
      sim.state.addGroup("SmartNodes Only");
      await assert.rejects(preparePlan(providerFor(sim), smartnodeRequest()), (e: unknown) => e instanceof AppError && e.code === "GROUP_AMBIGUOUS");
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("says so when the selection matches nothing", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    try {
      seedFleet(sim.state, { count: 3, seed: 1, tags: ["smartnode"] });
      await assert.rejects(preparePlan(providerFor(sim), smartnodeRequest(SMARTCASH_POLICY, "nope")), (e: unknown) => e instanceof AppError && e.code === "SELECTION_EMPTY" && /3 instances/.test(e.message));
    } finally {
      await sim.closeAndCheck();
    }
  });
});
