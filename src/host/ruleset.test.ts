import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { desiredPolicy, type PolicyInput } from "../firewall/policy.ts";
import { hostRuleset, removeTableFile } from "./ruleset.ts";

const base: PolicyInput = {
  description: "SmartNodes Only",
  ports: [
    { protocol: "tcp", port: "9678", purpose: "P2P" },
    { protocol: "tcp", port: "8080", purpose: "SAPI" },
  ],
  adminAccess: [],
  icmp: false,
};

const accepts = (table: string): string[] => table.split("\n").map((l) => l.trim()).filter((l) => / accept( comment .*)?$/.test(l) && /dport|echo-request/.test(l));

describe("hostRuleset", () => {
  const cases: { name: string; input: PolicyInput; want: string[] }[] = [
    {
      name: "smartcash: P2P and SAPI from anywhere, once for both families",
      input: base,
      want: ['tcp dport 9678 accept comment "nodeward: P2P"', 'tcp dport 8080 accept comment "nodeward: SAPI"'],
    },
    {
      name: "smartcash-legacy: 9678 only",
      input: { ...base, ports: [{ protocol: "tcp", port: "9678", purpose: "P2P" }] },
      want: ['tcp dport 9678 accept comment "nodeward: P2P"'],
    },
    {
      name: "admin CIDRs per family, ranges with a dash",
      input: {
        ...base,
        adminAccess: [
          { cidr: "203.0.113.7/32", port: "22", protocol: "tcp", note: "home" },
          { cidr: "2001:db8::/48", port: "2222:2223", protocol: "tcp" },
        ],
      },
      want: [
        'tcp dport 9678 accept comment "nodeward: P2P"',
        'tcp dport 8080 accept comment "nodeward: SAPI"',
        'ip saddr 203.0.113.7 tcp dport 22 accept comment "nodeward: admin (home)"',
        'ip6 saddr 2001:db8::/48 tcp dport 2222-2223 accept comment "nodeward: admin"',
      ],
    },
    {
      name: "ICMP echo rate-limited for both families",
      input: { ...base, ports: [], icmp: true },
      want: [
        'icmp type echo-request limit rate 5/second accept comment "nodeward: ping"',
        'icmpv6 type echo-request limit rate 5/second accept comment "nodeward: ping"',
      ],
    },
    {
      name: "custom udp range and an admin entry from anywhere over IPv4 only",
      input: { ...base, ports: [{ protocol: "udp", port: "5000:5010", purpose: "custom" }], adminAccess: [{ cidr: "0.0.0.0/0", port: "22", protocol: "tcp" }] },
      want: ['udp dport 5000-5010 accept comment "nodeward: custom"', 'meta nfproto ipv4 tcp dport 22 accept comment "nodeward: admin"'],
    },
    {
      name: "an admin entry equal to a coin port adds nothing",
      input: { ...base, adminAccess: [{ cidr: "0.0.0.0/0", port: "9678", protocol: "tcp" }] },
      want: ['tcp dport 9678 accept comment "nodeward: P2P"', 'tcp dport 8080 accept comment "nodeward: SAPI"'],
    },
    {
      name: "a comment with quotes cannot break out of the string",
      input: { ...base, ports: [], adminAccess: [{ cidr: "198.51.100.0/24", port: "22", protocol: "tcp", note: 'x" accept; flush ruleset; "' }] },
      want: ['ip saddr 198.51.100.0/24 tcp dport 22 accept comment "nodeward: admin (x accept; flush ruleset; )"'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = hostRuleset(desiredPolicy(c.input, true));
      assert.deepEqual(accepts(r.table), c.want);
      assert.equal(r.summary.length, c.want.length - (c.input.icmp ? 1 : 0));
    });
  }

  it("drops by policy and keeps what every host needs, in this order", () => {
    const lines = hostRuleset(desiredPolicy(base, true)).table.split("\n").map((l) => l.trim());
    const idx = (l: string) => lines.indexOf(l);
    assert.ok(idx("type filter hook input priority filter; policy drop;") > 0);
    assert.ok(idx("ct state established,related accept") < idx("ct state invalid drop"));
    assert.ok(idx('iif "lo" accept') > 0);
    const v6 = lines.find((l) => l.startsWith("icmpv6 type {")) ?? "";
    for (const t of ["nd-neighbor-solicit", "nd-neighbor-advert", "nd-router-advert", "packet-too-big", "destination-unreachable", "time-exceeded", "parameter-problem"]) assert.ok(v6.includes(t), t);
    assert.ok(idx('tcp dport 9678 accept comment "nodeward: P2P"') > idx(v6));
  });

  it("replaces only its own table, atomically: create-if-missing, delete, then the table", () => {
    const { file, table } = hostRuleset(desiredPolicy(base, true));
    const code = file.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    assert.deepEqual(code.slice(0, 3), ["table inet nodeward {}", "delete table inet nodeward", "table inet nodeward {"]);
    assert.ok(file.endsWith(table));
    assert.doesNotMatch(file, /flush ruleset|table (ip|ip6|inet) (?!nodeward)/);
    assert.deepEqual(removeTableFile().split("\n").filter((l) => l !== "" && !l.startsWith("#")), ["table inet nodeward {}", "delete table inet nodeward"]);
  });

  it("writes the table as nft lists it: tabs, one rule a line", () => {
    const { table } = hostRuleset(desiredPolicy(base, true));
    assert.match(table, /^table inet nodeward \{\n\tchain input \{\n\t\ttype filter/);
    assert.ok(table.endsWith("\t}\n}\n"));
  });
});
