import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, withCheckedSim, type CheckedSim } from "../../test/helpers/sim.ts";
import type { RuleJson } from "./present.ts";

interface ListJson {
  meta: { total: number; links: { next: string; prev: string } };
}

const p2p = { ip_type: "v4", protocol: "tcp", port: "9678", subnet: "0.0.0.0", subnet_size: 0, notes: "SmartCash P2P" };

async function newGroup(sim: CheckedSim): Promise<string> {
  const r = await call(sim, "POST", "/firewalls", { description: "SmartNodes Only" });
  return (r.json as { firewall_group: { id: string } }).firewall_group.id;
}

describe("simulator server: firewall rules", () => {
  it("creates a rule with 201 and answers it in Vultr's shape", async () => {
    await withCheckedSim({}, async (sim) => {
      const id = await newGroup(sim);
      const r = await call(sim, "POST", `/firewalls/${id}/rules`, { ...p2p, protocol: "TCP" });
      assert.equal(r.status, 201);
      assert.deepEqual((r.json as { firewall_rule: RuleJson }).firewall_rule, {
        id: 1, type: "v4", ip_type: "v4", action: "accept", protocol: "tcp", port: "9678",
        subnet: "0.0.0.0", subnet_size: 0, source: "", notes: "SmartCash P2P",
      });
      const one = await call(sim, "GET", `/firewalls/${id}/rules/1`);
      assert.equal(one.status, 200);
      assert.equal((one.json as { firewall_rule: RuleJson }).firewall_rule.port, "9678");
      const group = await call(sim, "GET", `/firewalls/${id}`);
      assert.equal((group.json as { firewall_group: { rule_count: number } }).firewall_group.rule_count, 1);
    });
  });

  it("answers IPv6 subnets in canonical form", async () => {
    await withCheckedSim({}, async (sim) => {
      const id = await newGroup(sim);
      const r = await call(sim, "POST", `/firewalls/${id}/rules`, { ip_type: "v6", protocol: "tcp", port: "9678", subnet: "2001:0db8:0000::", subnet_size: 32 });
      assert.equal(r.status, 201);
      assert.equal((r.json as { firewall_rule: RuleJson }).firewall_rule.subnet, "2001:db8::");
    });
  });

  it("rejects an exact duplicate with 400, even written differently", async () => {
    await withCheckedSim({}, async (sim) => {
      const id = await newGroup(sim);
      const v6 = { ip_type: "v6", protocol: "tcp", port: "9678", subnet: "2001:db8::", subnet_size: 32 };
      assert.equal((await call(sim, "POST", `/firewalls/${id}/rules`, v6)).status, 201);
      const dup = await call(sim, "POST", `/firewalls/${id}/rules`, { ...v6, subnet: "2001:0DB8:0000::", protocol: "Tcp", notes: "again" });
      assert.equal(dup.status, 400);
      assert.deepEqual(Object.keys(dup.json as object).sort(), ["error", "status"]);
      assert.equal(sim.state.rules(id).length, 1);
    });
  });

  it("refuses invalid rules with 400 and unknown groups or rules with 404", async () => {
    await withCheckedSim({}, async (sim) => {
      const id = await newGroup(sim);
      assert.equal((await call(sim, "POST", `/firewalls/${id}/rules`, { ...p2p, port: undefined })).status, 400);
      assert.equal((await call(sim, "POST", `/firewalls/${id}/rules`, { ...p2p, subnet: "::" })).status, 400);
      assert.equal((await call(sim, "POST", `/firewalls/${id}/rules`, [p2p])).status, 400);
      assert.equal((await call(sim, "POST", "/firewalls/no-such-group/rules", p2p)).status, 404);
      assert.equal((await call(sim, "GET", `/firewalls/${id}/rules/7`)).status, 404);
      assert.match((await call(sim, "DELETE", `/firewalls/${id}/rules/7`)).text, /Firewall rule ID not found/);
      assert.equal((await call(sim, "DELETE", `/firewalls/${id}/rules/abc`)).status, 404);
    });
  });

  it("refuses a 51st rule with 400", async () => {
    await withCheckedSim({ rateLimitPerSecond: false }, async (sim) => {
      const id = await newGroup(sim);
      for (let port = 1; port <= 50; port++) sim.state.addRule(id, { ...p2p, port: String(port) });
      const r = await call(sim, "POST", `/firewalls/${id}/rules`, { ...p2p, port: "51" });
      assert.equal(r.status, 400);
      assert.match((r.json as { error: string }).error, /50/);
    });
  });

  it("deletes a rule with 204 and an empty body", async () => {
    await withCheckedSim({}, async (sim) => {
      const id = await newGroup(sim);
      await call(sim, "POST", `/firewalls/${id}/rules`, p2p);
      const r = await call(sim, "DELETE", `/firewalls/${id}/rules/1`);
      assert.equal(r.status, 204);
      assert.equal(r.text, "");
      assert.deepEqual(sim.state.rules(id), []);
    });
  });

  it("pages through rules and groups two at a time with cursors", async () => {
    await withCheckedSim({ rateLimitPerSecond: false }, async (sim) => {
      const id = await newGroup(sim);
      for (let port = 1; port <= 5; port++) sim.state.addRule(id, { ...p2p, port: String(port) });
      const ports: string[] = [];
      let cursor = "";
      let pages = 0;
      do {
        const r = await call(sim, "GET", `/firewalls/${id}/rules?per_page=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        assert.equal(r.status, 200);
        const body = r.json as ListJson & { firewall_rules: RuleJson[] };
        assert.equal(body.meta.total, 5);
        assert.equal(body.meta.links.prev === "", pages === 0);
        ports.push(...body.firewall_rules.map((x) => x.port));
        cursor = body.meta.links.next;
        pages++;
      } while (cursor !== "");
      assert.deepEqual([pages, ports], [3, ["1", "2", "3", "4", "5"]]);

      for (let i = 0; i < 4; i++) sim.state.addGroup(`g${i}`);
      const first = (await call(sim, "GET", "/firewalls?per_page=2")).json as ListJson & { firewall_groups: unknown[] };
      assert.deepEqual([first.firewall_groups.length, first.meta.total], [2, 5]);
      const next = (await call(sim, "GET", `/firewalls?per_page=2&cursor=${first.meta.links.next}`)).json as ListJson;
      assert.notEqual(next.meta.links.prev, "");
    });
  });

  it("refuses per_page over 500 and an invalid cursor with 400", async () => {
    await withCheckedSim({}, async (sim) => {
      assert.equal((await call(sim, "GET", "/firewalls?per_page=501")).status, 400);
      assert.equal((await call(sim, "GET", "/firewalls?per_page=500")).status, 200);
      assert.equal((await call(sim, "GET", "/firewalls?cursor=bogus!")).status, 400);
    });
  });

  it("lets a test add a rule 'in the web UI' and records it for the attached instances", async () => {
    await withCheckedSim({}, async (sim) => {
      const id = await newGroup(sim);
      const inst = sim.state.addInstance({ firewall_group_id: id });
      const r = sim.state.addRule(id, { ip_type: "v4", protocol: "tcp", port: "22", subnet: "203.0.113.7", subnet_size: 32 });
      assert.ok(r.ok);
      const listed = (await call(sim, "GET", `/firewalls/${id}/rules`)).json as { firewall_rules: RuleJson[] };
      assert.deepEqual(listed.firewall_rules.map((x) => x.port), ["22"]);
      assert.deepEqual(sim.history(inst.id).map((h) => h.rules.map((x) => x.port)), [[], ["22"]]);
    });
  });
});
