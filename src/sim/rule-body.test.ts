import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseRuleBody } from "./rule-body.ts";

const ssh = { ip_type: "v4", protocol: "tcp", port: "22", subnet: "0.0.0.0", subnet_size: 0 };

describe("create-rule body validation", () => {
  it("accepts subnet_size 0 (anywhere)", () => {
    const r = parseRuleBody(ssh);
    assert.ok(r.ok);
    assert.deepEqual(r.value, { ipType: "v4", protocol: "tcp", port: "22", subnet: "0.0.0.0", subnetSize: 0, source: "", notes: "" });
  });

  it("stores the protocol lower-case whatever case it came in", () => {
    const r = parseRuleBody({ ...ssh, protocol: "TCP" });
    assert.ok(r.ok);
    assert.equal(r.value.protocol, "tcp");
  });

  it("prints IPv6 subnets in RFC 5952 form", () => {
    const r = parseRuleBody({ ip_type: "v6", protocol: "tcp", port: "9678", subnet: "2001:0db8:0000::", subnet_size: 32 });
    assert.ok(r.ok);
    assert.equal(r.value.subnet, "2001:db8::");
  });

  it("drops the port of a rule that is neither TCP nor UDP", () => {
    const r = parseRuleBody({ ip_type: "v4", protocol: "icmp", port: "80", subnet: "0.0.0.0", subnet_size: 0 });
    assert.ok(r.ok);
    assert.equal(r.value.port, "");
  });

  it("keeps a colon port range", () => {
    const r = parseRuleBody({ ...ssh, port: "8000:8080" });
    assert.ok(r.ok);
    assert.equal(r.value.port, "8000:8080");
  });

  const bad: [string, unknown, RegExp][] = [
    ["a body that is not an object", [ssh], /JSON object/],
    ["a missing ip_type", { ...ssh, ip_type: undefined }, /"ip_type"/],
    ["a missing subnet_size", { ...ssh, subnet_size: undefined }, /"subnet_size"/],
    ["subnet_size as a string", { ...ssh, subnet_size: "0" }, /subnet_size/],
    ["an unknown ip_type", { ...ssh, ip_type: "v5" }, /ip_type/],
    ["an unknown protocol", { ...ssh, protocol: "sctp" }, /protocol/],
    ["TCP without a port", { ...ssh, port: undefined }, /port/],
    ["a dash port range", { ...ssh, port: "8000-8080" }, /port/],
    ["a port as a number", { ...ssh, port: 22 }, /port/],
    ["a v6 subnet on a v4 rule", { ...ssh, subnet: "::" }, /not v4/],
    ["a prefix longer than the family allows", { ...ssh, subnet_size: 33 }, /bad subnet/],
  ];
  for (const [name, body, message] of bad) {
    it(`refuses ${name} with 400`, () => {
      const r = parseRuleBody(body);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.status, 400);
        assert.match(r.error, message);
      }
    });
  }
});
