import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, withCheckedSim } from "../../test/helpers/sim.ts";
import { startSim } from "./server.ts";

describe("simulator server: basics", () => {
  it("serves under /v2 on loopback with the documented default key", async () => {
    await withCheckedSim({}, async (sim) => {
      assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+\/v2$/);
      assert.ok(sim.apiKey.length >= 36);
      const r = await call(sim, "GET", "/firewalls");
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { firewall_groups: [], meta: { total: 0, links: { next: "", prev: "" } } });
    });
  });

  it("answers 401 without a valid bearer token", async () => {
    await withCheckedSim({}, async (sim) => {
      const wrong = await call(sim, "GET", "/instances", undefined, "WRONGKEY");
      assert.equal(wrong.status, 401);
      assert.deepEqual(wrong.json, { error: "Invalid API token.", status: 401 });
      const none = await fetch(`${sim.url}/firewalls`);
      assert.equal(none.status, 401);
      assert.deepEqual(await none.json(), { error: "Invalid API token.", status: 401 });
    });
  });

  it("answers 404 JSON for an unknown route and 405 JSON with Allow for a wrong method", async () => {
    await withCheckedSim({}, async (sim) => {
      const unknown = await call(sim, "GET", "/nope");
      assert.equal(unknown.status, 404);
      assert.equal((unknown.json as { status: number }).status, 404);
      const outside = await fetch(sim.url.replace(/\/v2$/, "/v1/firewalls"), { headers: { Authorization: `Bearer ${sim.apiKey}` } });
      assert.equal(outside.status, 404);
      const wrong = await call(sim, "PATCH", "/firewalls", {});
      assert.equal(wrong.status, 405);
      assert.equal(wrong.headers.get("allow"), "GET, POST");
      assert.equal((wrong.json as { status: number }).status, 405);
    });
  });

  it("answers 400 to a malformed JSON body without changing anything", async () => {
    await withCheckedSim({}, async (sim) => {
      const r = await call(sim, "POST", "/firewalls", "{not json");
      assert.equal(r.status, 400);
      assert.match((r.json as { error: string }).error, /JSON/);
      assert.equal(sim.state.groups().length, 0);
    });
  });

  it("creates, reads, renames and deletes a firewall group with the documented codes", async () => {
    await withCheckedSim({}, async (sim) => {
      const created = await call(sim, "POST", "/firewalls", { description: "SmartNodes Only" });
      assert.equal(created.status, 201);
      const group = (created.json as { firewall_group: Record<string, unknown> }).firewall_group;
      assert.match(String(group.id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.match(String(group.date_created), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      assert.deepEqual([group.description, group.instance_count, group.rule_count, group.max_rule_count], ["SmartNodes Only", 0, 0, 50]);
      const id = String(group.id);
      const renamed = await call(sim, "PUT", `/firewalls/${id}`, { description: "renamed" });
      assert.equal(renamed.status, 204);
      assert.equal(renamed.text, "");
      assert.equal(((await call(sim, "GET", `/firewalls/${id}`)).json as { firewall_group: { description: string } }).firewall_group.description, "renamed");
      assert.equal((await call(sim, "PUT", `/firewalls/${id}`, {})).status, 400);
      assert.equal((await call(sim, "DELETE", `/firewalls/${id}`)).status, 204);
      const gone = await call(sim, "GET", `/firewalls/${id}`);
      assert.equal(gone.status, 404);
      assert.match(gone.text, /"status":404/);
    });
  });

  it("creates a group without a body, with an empty description", async () => {
    await withCheckedSim({}, async (sim) => {
      const r = await call(sim, "POST", "/firewalls");
      assert.equal(r.status, 201);
      assert.equal((r.json as { firewall_group: { description: string } }).firewall_group.description, "");
    });
  });

  it("silently detaches the instances of a deleted group and records it in their history", async () => {
    await withCheckedSim({}, async (sim) => {
      const group = sim.state.addGroup("doomed");
      sim.state.addRule(group.id, { ip_type: "v4", protocol: "tcp", port: "9678", subnet: "0.0.0.0", subnet_size: 0 });
      const inst = sim.state.addInstance({ label: "sn-1", firewall_group_id: group.id });
      assert.equal((await call(sim, "DELETE", `/firewalls/${group.id}`)).status, 204);
      const after = await call(sim, "GET", `/instances/${inst.id}`);
      assert.equal((after.json as { instance: { firewall_group_id: string } }).instance.firewall_group_id, "");
      assert.deepEqual(sim.history(inst.id).map((r) => [r.groupId, r.rules.length]), [[group.id, 1], ["", 0]]);
    });
  });

  it("counts calls by method and route template, by status, and writes", async () => {
    await withCheckedSim({}, async (sim) => {
      const group = sim.state.addGroup("g");
      await call(sim, "GET", "/firewalls");
      await call(sim, "GET", `/firewalls/${group.id}/rules`);
      await call(sim, "GET", `/firewalls/${group.id}/rules`);
      await call(sim, "POST", `/firewalls/${group.id}/rules`, { ip_type: "v4", protocol: "tcp", port: "1", subnet: "0.0.0.0", subnet_size: 0 });
      await call(sim, "DELETE", `/firewalls/${group.id}/rules/99`);
      assert.deepEqual(sim.stats(), {
        byKind: { "GET /firewalls": 1, "GET /firewalls/{id}/rules": 2, "POST /firewalls/{id}/rules": 1, "DELETE /firewalls/{id}/rules/{id}": 1 },
        byStatus: { "200": 3, "201": 1, "404": 1 },
        total: 5,
        writes: 2,
      });
      sim.resetStats();
      assert.equal(sim.stats().total, 0);
    });
  });

  it("collects an answer that breaks the spec as a violation", async () => {
    const sim = await startSim({ validateResponses: true });
    try {
      const inst = sim.state.addInstance({ ram: "2 GB" as unknown as number });
      await call(sim, "GET", `/instances/${inst.id}`);
      assert.deepEqual(sim.violations, [
        { method: "GET", path: `/v2/instances/${inst.id}`, status: 200, errors: ["GET /instances/{instance-id} 200: /instance/ram must be integer"] },
      ]);
    } finally {
      await sim.close();
    }
  });
});
