import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { canonicalRule } from "../../firewall/rule.ts";
import type { Rule } from "../../firewall/model.ts";
import { ruleStatement, worldRuleset } from "./ruleset.ts";

const rule = (input: Parameters<typeof canonicalRule>[0]): Rule => {
  const c = canonicalRule(input);
  if (!c.ok) throw new Error(c.reason);
  return c.rule;
};

describe("the simulated world's packet filter", () => {
  it("turns Vultr rules into nftables statements", () => {
    assert.equal(ruleStatement(rule({ protocol: "tcp", port: 9678, subnet: "0.0.0.0", subnetSize: 0 })), "meta nfproto ipv4 tcp dport 9678 accept");
    assert.equal(ruleStatement(rule({ protocol: "tcp", port: "8000:8080", subnet: "2001:db8::", subnetSize: 32 })), "meta nfproto ipv6 ip6 saddr 2001:db8::/32 tcp dport 8000-8080 accept");
    assert.equal(ruleStatement(rule({ protocol: "icmp", subnet: "::", subnetSize: 0 })), "meta nfproto ipv6 meta l4proto ipv6-icmp accept");
  });

  it("filters hosts on a group, default drop, and leaves hosts without a group open", () => {
    const text = worldRuleset([
      { v4: "192.0.2.1", v6: "2001:db8::1", rules: [rule({ protocol: "tcp", port: 9678, subnet: "0.0.0.0", subnetSize: 0 })] },
      { v4: "192.0.2.2", v6: "", rules: null },
      { v4: "192.0.2.3", v6: "", rules: [] },
    ]);
    assert.match(text, /ip daddr 192\.0\.2\.1 jump host_0/);
    assert.match(text, /ip6 daddr 2001:db8::1 jump host_0/);
    assert.doesNotMatch(text, /192\.0\.2\.2/);
    assert.match(text, /chain host_2 \{\n {4}drop\n {2}\}/);
    assert.match(text, /chain host_0 \{\n {4}meta nfproto ipv4 tcp dport 9678 accept\n {4}drop\n {2}\}/);
  });
});
