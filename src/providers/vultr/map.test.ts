import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Rule } from "../../firewall/model.ts";
import { toCreateRuleBody, toInstance, toRemoteRule } from "./map.ts";
import { describeIssues, instanceSchema, ruleSchema } from "./wire.ts";

const specInstance = {
  id: "cb676a46-66fd-4dfb-b839-443f2e6c0b60",
  os: "Ubuntu 20.04 x64",
  main_ip: "192.0.2.123",
  region: "ewr",
  status: "active",
  power_status: "running",
  server_status: "ok",
  v6_network: "2001:0db8:1112:18fb::",
  v6_main_ip: "2001:0db8:1112:18fb:0200:00ff:fe00:0000",
  v6_network_size: 64,
  label: "Example Instance",
  hostname: "my_hostname",
  firewall_group_id: "",
  features: ["ipv6"],
  tags: ["a tag", "another"],
  instance_count: 3,
};

describe("instances from the wire", () => {
  it("reads the spec's example, IPv6 in RFC 5952 form and no group as empty", () => {
    const i = toInstance(instanceSchema.parse(specInstance));
    assert.deepEqual(i, {
      id: specInstance.id, label: "Example Instance", hostname: "my_hostname", tags: ["a tag", "another"], region: "ewr",
      mainIp: "192.0.2.123", v6MainIp: "2001:db8:1112:18fb:200:ff:fe00:0", firewallGroupId: "",
      status: "active", powerStatus: "running", serverStatus: "ok",
    });
  });

  it("falls back to v6_networks[0].main_ip when v6_main_ip is absent (2023 spec shape)", () => {
    const { v6_main_ip: _drop, ...old } = specInstance;
    const i = toInstance(instanceSchema.parse({ ...old, v6_networks: [{ network: "2001:db8::", main_ip: "2001:db8::5", network_size: 64 }] }));
    assert.equal(i.v6MainIp, "2001:db8::5");
    const none = toInstance(instanceSchema.parse({ ...old, v6_networks: [] }));
    assert.equal(none.v6MainIp, "");
  });

  it("accepts the deprecated single tag when tags are missing", () => {
    const { tags: _t, ...old } = specInstance;
    assert.deepEqual(toInstance(instanceSchema.parse({ ...old, tag: "smartnode" })).tags, ["smartnode"]);
  });

  it("names the field when a dependency is missing or has the wrong type", () => {
    const { firewall_group_id: _f, ...noGroup } = specInstance;
    const r = instanceSchema.safeParse(noGroup);
    assert.equal(r.success, false);
    assert.match(describeIssues(r.error!, "instances[2]"), /^instances\[2\]\.firewall_group_id: /);
    const r2 = instanceSchema.safeParse({ ...specInstance, main_ip: 7 });
    assert.match(describeIssues(r2.error!), /^main_ip: .*string/);
  });
});

describe("rules from the wire", () => {
  const wire = { id: 1, type: "v6", ip_type: "v6", action: "accept", protocol: "TCP", port: "9678", subnet: "2001:0db8:0000::", subnet_size: 32, source: "", notes: "p2p" };

  it("canonicalises protocol and IPv6 subnet", () => {
    const r = toRemoteRule(ruleSchema.parse(wire));
    assert.deepEqual(r, { ok: true, rule: { id: 1, ipType: "v6", protocol: "tcp", port: "9678", subnet: "2001:db8::", subnetSize: 32, source: "", notes: "p2p" } });
  });

  it("reads ICMP with an empty port and the deprecated type when ip_type is missing", () => {
    const { ip_type: _i, ...old } = wire;
    const r = toRemoteRule(ruleSchema.parse({ ...old, type: "v4", protocol: "icmp", port: "", subnet: "0.0.0.0", subnet_size: 0 }));
    assert.ok(r.ok);
    assert.equal(r.rule.port, "");
    assert.equal(r.rule.ipType, "v4");
  });

  it("reads a Cloudflare rule without a subnet as its source only", () => {
    const r = toRemoteRule(ruleSchema.parse({ id: 4, ip_type: "v4", protocol: "tcp", port: "443", source: "cloudflare" }));
    assert.ok(r.ok);
    assert.equal(r.rule.subnet, "0.0.0.0");
    assert.equal(r.rule.source, "cloudflare");
  });

  it("requires a subnet and its size when there is no source", () => {
    const r = ruleSchema.safeParse({ ...wire, subnet_size: undefined });
    assert.match(describeIssues(r.error!, "firewall_rules[0]"), /firewall_rules\[0\]\.subnet_size: missing/);
  });

  it("reports a rule that cannot be canonicalised", () => {
    const r = toRemoteRule(ruleSchema.parse({ ...wire, subnet: "not-an-ip" }));
    assert.equal(r.ok, false);
  });
});

describe("create bodies", () => {
  const base: Rule = { ipType: "v4", protocol: "tcp", port: "9678", subnet: "0.0.0.0", subnetSize: 0, source: "", notes: "nodeward: p2p" };

  it("always sends subnet_size, even 0, and leaves out an empty source", () => {
    assert.deepEqual(toCreateRuleBody(base), { ip_type: "v4", protocol: "tcp", subnet: "0.0.0.0", subnet_size: 0, notes: "nodeward: p2p", port: "9678" });
    assert.ok(JSON.stringify(toCreateRuleBody(base)).includes('"subnet_size":0'));
  });

  it("sends no port for ICMP and sends a source when set", () => {
    const body = toCreateRuleBody({ ...base, protocol: "icmp", port: "", source: "cloudflare" });
    assert.equal("port" in body, false);
    assert.equal(body.source, "cloudflare");
  });
});
