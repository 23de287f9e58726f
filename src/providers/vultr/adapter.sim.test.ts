import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { systemClock } from "../../core/clock.ts";
import { Redactor } from "../../core/redact.ts";
import type { Rule } from "../../firewall/model.ts";
import { seedFleet } from "../../sim/seed.ts";
import { startCheckedSim, type CheckedSim } from "../../../test/helpers/sim.ts";
import { createVultrProvider, type VultrProvider } from "./adapter.ts";

/** The firewall adapter over real HTTP against the simulator. */

const p2p = (ipType: "v4" | "v6", subnet: string, subnetSize = 0): Rule => ({ ipType, protocol: "tcp", port: "9678", subnet, subnetSize, source: "", notes: "nodeward: p2p" });

describe("createVultrProvider against the simulator", () => {
  let sim: CheckedSim;
  let provider: VultrProvider;

  before(async () => {
    sim = await startCheckedSim({ attachDelayMs: 200 });
    provider = createVultrProvider({
      baseUrl: sim.url, apiKey: sim.apiKey, clock: systemClock, redactor: new Redactor(), timeoutMs: 5_000,
      backoff: { baseMs: 20, maxMs: 200 },
    });
    seedFleet(sim.state, { count: 1200, seed: 7, ipv6Fraction: 0.3, permissiveFraction: 0.25 });
  });
  after(() => sim.closeAndCheck());
  beforeEach(() => {
    sim.clearFaults();
    sim.resetStats();
  });

  it("lists 1,200 instances in three pages of 500", async () => {
    const all = await provider.listInstances();
    assert.equal(all.length, 1200);
    assert.equal(new Set(all.map((i) => i.id)).size, 1200);
    assert.equal(sim.stats().byKind["GET /instances"], 3);
    const withV6 = all.filter((i) => i.v6MainIp !== "");
    assert.equal(withV6.length, sim.state.instances().filter((i) => i.v6_main_ip !== "").length);
  });

  it("lists a group's instances with the server-side filter", async () => {
    const group = sim.state.groups().find((g) => g.description === "default");
    assert.ok(group);
    const members = await provider.listInstancesInGroup(group.id);
    assert.equal(members.length, 300);
    assert.ok(members.every((i) => i.firewallGroupId === group.id));
    assert.equal(sim.stats().byKind["GET /instances"], 1);
  });

  it("round-trips an IPv6 subnet in canonical form", async () => {
    const group = await provider.createGroup("v6 round trip");
    const created = await provider.createRule(group.id, p2p("v6", "2001:0DB8:0000:0000:0000::", 32));
    assert.equal(created.subnet, "2001:db8::");
    const [listed] = await provider.listRules(group.id);
    assert.deepEqual(listed, created);
    assert.deepEqual({ ...listed, id: 0 }, { ...p2p("v6", "2001:db8::", 32), id: 0 });
    const anywhere = await provider.createRule(group.id, p2p("v6", "::"));
    assert.deepEqual([anywhere.subnet, anywhere.subnetSize], ["::", 0]);
  });

  for (const mode of ["drop-after", "drop-before", "error"] as const) {
    it(`leaves exactly one rule when the rule POST fails ambiguously (${mode})`, async () => {
      const group = await provider.createGroup(`ambiguous ${mode}`);
      sim.resetStats();
      sim.setFaults({ failWrite: { index: 0, mode } });
      const rule = await provider.createRule(group.id, p2p("v4", "0.0.0.0"));
      const rules = sim.state.rules(group.id);
      assert.equal(rules.length, 1);
      assert.equal(rules[0]?.id, rule.id);
      const posts = sim.stats().byKind["POST /firewalls/{id}/rules"];
      assert.equal(posts, mode === "drop-after" ? 1 : 2, "re-posted only when the re-read showed nothing");
      assert.equal(sim.stats().byKind["GET /firewalls/{id}/rules"], 1);
    });
  }

  it("returns the existing rule when Vultr rejects a duplicate", async () => {
    const group = await provider.createGroup("duplicate");
    const first = await provider.createRule(group.id, p2p("v4", "0.0.0.0"));
    const again = await provider.createRule(group.id, { ...p2p("v4", "0.0.0.0"), notes: "other notes" });
    assert.equal(again.id, first.id);
    assert.equal(sim.state.rules(group.id).length, 1);
  });

  it("leaves exactly one group when the answer to its POST is lost", async () => {
    sim.setFaults({ failWrite: { index: 0, mode: "drop-after" } });
    const group = await provider.createGroup("SmartNodes Only");
    const named = sim.state.groups().filter((g) => g.description === "SmartNodes Only");
    assert.deepEqual(named.map((g) => g.id), [group.id]);
  });

  it("treats deleting a rule that is already gone as success", async () => {
    const group = await provider.createGroup("delete twice");
    const rule = await provider.createRule(group.id, p2p("v4", "198.51.100.0", 24));
    await provider.deleteRule(group.id, rule.id);
    await provider.deleteRule(group.id, rule.id);
    assert.deepEqual(sim.state.rules(group.id), []);
    assert.equal(sim.stats().byStatus["404"], 1);
  });

  it("attaches with PATCH (202) and the group becomes visible later", async () => {
    const group = await provider.createGroup("attach");
    const target = sim.state.instances().find((i) => i.firewall_group_id === "");
    assert.ok(target);
    await provider.attachInstance(target.id, group.id);
    assert.deepEqual(await provider.listInstancesInGroup(group.id), [], "not visible at once");
    await new Promise((r) => setTimeout(r, 250));
    const members = await provider.listInstancesInGroup(group.id);
    assert.deepEqual(members.map((i) => i.id), [target.id]);
    assert.equal((await provider.getInstance(target.id)).firewallGroupId, group.id);
  });

  it("reboots and starts an instance", async () => {
    const id = sim.state.instances()[0]?.id ?? "";
    await provider.rebootInstance(id);
    await provider.startInstance(id);
    assert.deepEqual(sim.state.powerEvents(id).map((e) => e.action), ["reboot", "start"]);
  });
});
