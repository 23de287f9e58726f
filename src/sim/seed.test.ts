import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Clock } from "../core/clock.ts";
import { seedFleet } from "./seed.ts";
import { SimState } from "./state.ts";

const fixedClock: Clock = { now: () => 1_700_000_000_000, sleep: async () => {} };

function fleet(seed: number, count = 40) {
  const state = new SimState({ clock: fixedClock });
  const summary = seedFleet(state, { count, seed, ipv6Fraction: 0.25, permissiveFraction: 0.5 });
  return { state, summary };
}

describe("fleet seeding", () => {
  it("gives the same fleet for the same seed", () => {
    const a = fleet(7);
    const b = fleet(7);
    assert.deepEqual(a.state.instances(), b.state.instances());
    assert.deepEqual(a.state.groups(), b.state.groups());
    assert.deepEqual(a.summary, b.summary);
  });

  it("gives a different fleet for another seed", () => {
    assert.notDeepEqual(fleet(7).state.instances().map((i) => i.id), fleet(8).state.instances().map((i) => i.id));
  });

  it("makes exactly the requested shares of IPv6 and permissive instances", () => {
    const { state, summary } = fleet(3);
    const all = state.instances();
    assert.equal(all.filter((i) => i.v6_main_ip !== "").length, 10);
    assert.equal(all.filter((i) => i.firewall_group_id === summary.permissiveGroupId).length, 20);
    assert.equal(all.filter((i) => i.firewall_group_id === "").length, 20);
    assert.equal(summary.permissive + summary.noGroup, 40);
  });

  it("puts the permissive instances in a group named default open on 22 and 9678 to the world", () => {
    const { state, summary } = fleet(3);
    assert.equal(state.group(summary.permissiveGroupId)?.description, "default");
    assert.deepEqual(
      state.rules(summary.permissiveGroupId).map((r) => `${r.protocol} ${r.port} ${r.subnet}/${r.subnetSize}`),
      ["tcp 22 0.0.0.0/0", "tcp 9678 0.0.0.0/0"],
    );
  });

  it("labels by region and hands out unique addresses, all running", () => {
    const { state } = fleet(5, 1000);
    const all = state.instances();
    assert.ok(all.every((i) => /^sn-(ewr|ams|sgp|fra|lax)-\d{4}$/.test(i.label) && i.label.includes(i.region)));
    assert.equal(new Set(all.map((i) => i.main_ip)).size, 1000);
    assert.equal(new Set(all.map((i) => i.label)).size, 1000);
    assert.ok(all.every((i) => i.power_status === "running" && i.server_status === "ok" && i.status === "active"));
    assert.ok(all.filter((i) => i.v6_main_ip !== "").every((i) => i.v6_main_ip.startsWith("::ffff:127.177.") && i.v6_network_size === 120));
  });

  it("records each seeded instance's initial firewall state", () => {
    const { state, summary } = fleet(3);
    const attached = state.instances().find((i) => i.firewall_group_id !== "");
    assert.ok(attached);
    const h = state.history(attached.id);
    assert.equal(h.length, 1);
    assert.equal(h[0]?.groupId, summary.permissiveGroupId);
    assert.equal(h[0]?.rules.length, 2);
  });

  it("seeds 10,000 instances with distinct ids and addresses", () => {
    const { state } = fleet(1, 10_000);
    const all = state.instances();
    assert.equal(all.length, 10_000);
    assert.equal(new Set(all.map((i) => i.id)).size, 10_000);
    assert.equal(new Set(all.map((i) => i.main_ip)).size, 10_000);
  });

  it("refuses fractions that contradict each other", () => {
    assert.throws(() => seedFleet(new SimState(), { count: 1, seed: 1, permissiveFraction: 0.5, noGroupFraction: 0.2 }), /add up to 1/);
  });
});
