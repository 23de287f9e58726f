import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "../../core/errors.ts";
import { Redactor } from "../../core/redact.ts";
import { createVultrProvider, type VultrProvider } from "./adapter.ts";
import { json, stubFetch, type Step, type StubFetch } from "./stub-fetch.ts";
import { TestClock } from "./test-clock.ts";

/** Adapter behaviour the simulator cannot be made to show: odd answers from a changed API. */

function setup(steps: readonly Step[]): { provider: VultrProvider; fetch: StubFetch; clock: TestClock } {
  const clock = new TestClock();
  const fetch = stubFetch(steps);
  const provider = createVultrProvider({ baseUrl: "https://api.example.test/v2", apiKey: "KEY-0123456789", clock, redactor: new Redactor(), fetch });
  return { provider, fetch, clock };
}

async function settle<T>(p: Promise<T>, clock: TestClock): Promise<T | unknown> {
  const r = p.then((v) => v, (e: unknown) => e);
  await clock.runAll();
  return r;
}

const noMore = { total: 1, links: { next: "", prev: "" } };

describe("createVultrProvider (stubbed answers)", () => {
  it("reads groups without the count fields Vultr is removing", async () => {
    const { provider, clock } = setup([json(200, { firewall_groups: [{ id: "g1", description: "SmartNodes Only", date_created: "", date_modified: "" }], meta: noMore })]);
    assert.deepEqual(await settle(provider.listGroups(), clock), [{ id: "g1", description: "SmartNodes Only" }]);
  });

  it("reports a listed rule that cannot be canonicalised, naming it", async () => {
    const bad = { id: 9, ip_type: "v4", action: "accept", protocol: "sctp", port: "1", subnet: "0.0.0.0", subnet_size: 0, source: "", notes: "" };
    const { provider, clock } = setup([json(200, { firewall_rules: [bad], meta: noMore })]);
    const e = await settle(provider.listRules("g1"), clock);
    assert.ok(e instanceof AppError);
    assert.equal(e.code, "PROVIDER_BAD_RESPONSE");
    assert.match(e.message, /GET \/firewalls\/g1\/rules: firewall rule 9: unknown protocol "sctp"/);
  });

  it("sends rule bodies the way Vultr needs them", async () => {
    const created = { firewall_rule: { id: 3, ip_type: "v4", action: "accept", protocol: "icmp", port: "", subnet: "0.0.0.0", subnet_size: 0, source: "", notes: "ping" } };
    const { provider, fetch, clock } = setup([json(201, created)]);
    const rule = await settle(provider.createRule("g 1", { ipType: "v4", protocol: "icmp", port: "", subnet: "0.0.0.0", subnetSize: 0, source: "", notes: "ping" }), clock);
    assert.deepEqual(rule, { id: 3, ipType: "v4", protocol: "icmp", port: "", subnet: "0.0.0.0", subnetSize: 0, source: "", notes: "ping" });
    assert.equal(fetch.calls[0]?.url, "https://api.example.test/v2/firewalls/g%201/rules");
    assert.deepEqual(JSON.parse(fetch.calls[0]?.body ?? ""), { ip_type: "v4", protocol: "icmp", subnet: "0.0.0.0", subnet_size: 0, notes: "ping" });
  });

  it("rejects a create answer without the created rule", async () => {
    const { provider, clock } = setup([json(201, { firewall_rule: { id: "three" } })]);
    const e = await settle(provider.createRule("g1", { ipType: "v4", protocol: "tcp", port: "9678", subnet: "0.0.0.0", subnetSize: 0, source: "", notes: "" }), clock);
    assert.ok(e instanceof AppError && e.code === "PROVIDER_BAD_RESPONSE");
    assert.match(e.message, /POST \/firewalls\/g1\/rules: firewall_rule\.id: /);
  });

  it("attaches with PATCH firewall_group_id and accepts 202", async () => {
    const { provider, fetch, clock } = setup([{ status: 202, body: "" }]);
    await settle(provider.attachInstance("i1", "g1"), clock);
    assert.equal(fetch.calls[0]?.method, "PATCH");
    assert.equal(fetch.calls[0]?.body, '{"firewall_group_id":"g1"}');
  });

  it("fails listing when an instance lacks firewall_group_id, rather than guessing", async () => {
    const inst = { id: "i1", label: "a", region: "ewr", main_ip: "192.0.2.1", status: "active", power_status: "running", server_status: "ok", tags: [] };
    const { provider, clock } = setup([json(200, { instances: [inst], meta: noMore })]);
    const e = await settle(provider.listInstances(), clock);
    assert.ok(e instanceof AppError && e.code === "PROVIDER_BAD_RESPONSE");
    assert.match(e.message, /instances\[0\]\.firewall_group_id/);
  });
});
