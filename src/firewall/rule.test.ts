import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { canonicalPort, canonicalRule, canonicalSubnet, describeRule, ruleKey } from "./rule.ts";

describe("canonical rules", () => {
  const subnets: [string, number, string | null][] = [
    ["2001:0db8:0000:0000::", 32, "2001:db8::"],
    ["2001:DB8::", 32, "2001:db8::"],
    ["2001:db8:0:0:1:0:0:1", 128, "2001:db8::1:0:0:1"],
    ["::", 0, "::"],
    ["0.0.0.0", 0, "0.0.0.0"],
    ["192.0.2.77", 24, "192.0.2.0"],
    ["192.0.2.77", 33, null],
    ["2001:db8::", 129, null],
    ["not-an-ip", 8, null],
  ];
  for (const [subnet, size, want] of subnets) {
    it(`reads ${subnet}/${size} as ${want ?? "invalid"}`, () => {
      assert.equal(canonicalSubnet(subnet, size)?.subnet ?? null, want);
    });
  }

  const ports: [string, string | number | undefined, string | null][] = [
    ["tcp", 9678, "9678"],
    ["tcp", "8000:8080", "8000:8080"],
    ["tcp", "8000-8080", "8000:8080"],
    ["udp", "53:53", "53"],
    ["tcp", "8080:8000", null],
    ["tcp", 0, null],
    ["tcp", 70000, null],
    ["tcp", "", null],
    ["icmp", "22", ""],
    ["gre", undefined, ""],
  ];
  for (const [proto, port, want] of ports) {
    it(`reads ${proto} port ${String(port)} as ${JSON.stringify(want)}`, () => {
      assert.equal(canonicalPort(proto as "tcp", port), want);
    });
  }

  it("treats an upper-case protocol and a long IPv6 form as the same rule as the API's answer", () => {
    const typed = canonicalRule({ ipType: "v6", protocol: "TCP", port: "9678", subnet: "2001:0db8:0000::", subnetSize: 32 });
    const api = canonicalRule({ ipType: "v6", protocol: "tcp", port: "9678", subnet: "2001:db8::", subnetSize: 32, notes: "other notes" });
    assert.ok(typed.ok && api.ok);
    assert.equal(ruleKey(typed.rule), ruleKey(api.rule));
  });

  it("drops the port of an ICMP rule so re-runs do not create duplicates", () => {
    const r = canonicalRule({ protocol: "icmp", port: "22", subnet: "0.0.0.0", subnetSize: 0 });
    assert.ok(r.ok);
    assert.equal(r.rule.port, "");
    assert.equal(describeRule(r.rule), "icmp from 0.0.0.0/0 (v4)");
  });

  it("refuses a v4 subnet declared as v6", () => {
    const r = canonicalRule({ ipType: "v6", protocol: "tcp", port: 22, subnet: "192.0.2.0", subnetSize: 24 });
    assert.equal(r.ok, false);
  });

  it("refuses unknown protocols", () => {
    assert.deepEqual(canonicalRule({ protocol: "sctp", port: 1, subnet: "::", subnetSize: 0 }), { ok: false, reason: 'unknown protocol "sctp"' });
  });
});
