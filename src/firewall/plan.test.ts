import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Instance, RemoteRule } from "./model.ts";
import { planChanges, type ActualGroup, type Change, type Finding } from "./plan.ts";
import { desiredPolicy, type PolicyInput } from "./policy.ts";
import { canonicalRule } from "./rule.ts";
import { SMARTCASH_POLICY } from "../../test/helpers/firewall.ts";

const SMARTCASH: PolicyInput = SMARTCASH_POLICY;

let nextId = 1;
function rule(ipType: "v4" | "v6", protocol: string, port: string, subnet: string, subnetSize: number, id = nextId++): RemoteRule {
  const c = canonicalRule({ ipType, protocol, port, subnet, subnetSize });
  if (!c.ok) throw new Error(c.reason);
  return { ...c.rule, id };
}
function inst(label: string, over: Partial<Instance> = {}): Instance {
  return { id: `id-${label}`, label, hostname: label, tags: ["smartnode"], region: "ewr", mainIp: "192.0.2.1", v6MainIp: "", firewallGroupId: "", status: "active", powerStatus: "running", serverStatus: "ok", ...over };
}
const G = "grp-1";
const full = (): RemoteRule[] => [rule("v4", "tcp", "9678", "0.0.0.0", 0), rule("v4", "tcp", "8080", "0.0.0.0", 0)];
const group = (rules: RemoteRule[]): ActualGroup => ({ id: G, description: "SmartNodes Only", rules });
const names = new Map([[G, "SmartNodes Only"], ["old", "default"]]);

const summary = (c: Change): string => {
  switch (c.kind) {
    case "create-group": return `create-group ${c.description}`;
    case "create-rule": return `create-rule ${c.rule.ipType} ${c.rule.protocol} ${c.rule.port} ${c.rule.subnet}/${c.rule.subnetSize}`;
    case "attach": return `attach ${c.label} from ${c.fromGroupId || "-"}`;
    case "delete-rule": return `delete-rule ${c.ruleId} ${c.why}`;
  }
};

interface Case {
  name: string;
  policy?: PolicyInput;
  ipv6?: boolean;
  selected: Instance[];
  group: ActualGroup | null;
  changes: string[];
  findings: Finding["kind"][];
}

const cases: Case[] = [
  {
    name: "creates the group, its rules, then attaches every node on a fresh account",
    selected: [inst("b"), inst("a")],
    group: null,
    changes: ["create-group SmartNodes Only", "create-rule v4 tcp 9678 0.0.0.0/0", "create-rule v4 tcp 8080 0.0.0.0/0", "attach a from -", "attach b from -"],
    findings: ["group-missing", "instance-unattached", "instance-unattached"],
  },
  {
    name: "plans nothing when the group, its rules and every attachment are in place",
    selected: [inst("a", { firewallGroupId: G })],
    group: group(full()),
    changes: [],
    findings: [],
  },
  {
    name: "adds IPv6 rules exactly when an instance has IPv6, and names the uncovered instance",
    ipv6: true,
    selected: [inst("v6", { firewallGroupId: G, v6MainIp: "2001:db8::5" })],
    group: group(full()),
    changes: ["create-rule v6 tcp 9678 ::/0", "create-rule v6 tcp 8080 ::/0"],
    findings: ["rule-missing", "rule-missing", "ipv6-uncovered"],
  },
  {
    name: "removes an SSH rule added in the web UI, last",
    selected: [inst("a")],
    group: group([...full(), rule("v4", "tcp", "22", "0.0.0.0", 0, 99)]),
    changes: ["attach a from -", "delete-rule 99 outside"],
    findings: ["instance-unattached", "rule-extra"],
  },
  {
    name: "moves an instance off a permissive group and reports where it was",
    selected: [inst("a", { firewallGroupId: "old" })],
    group: group(full()),
    changes: ["attach a from old"],
    findings: ["instance-other-group"],
  },
  {
    name: "replaces a changed rule by creating the new one before deleting the old one",
    selected: [inst("a", { firewallGroupId: G })],
    group: group([rule("v4", "tcp", "9678", "0.0.0.0", 0), rule("v4", "tcp", "8081", "0.0.0.0", 0, 50)]),
    changes: ["create-rule v4 tcp 8080 0.0.0.0/0", "delete-rule 50 outside"],
    findings: ["rule-missing", "rule-extra"],
  },
  {
    name: "does not recreate a rule whose IPv6 subnet the API printed in another form",
    policy: { ...SMARTCASH, adminAccess: [{ cidr: "2001:0db8:0000:0000::/32", port: 22, protocol: "tcp" }] },
    selected: [inst("a", { firewallGroupId: G })],
    group: group([...full(), rule("v6", "tcp", "22", "2001:db8::", 32)]),
    changes: [],
    findings: [],
  },
  {
    name: "deletes an exact duplicate but keeps the oldest copy",
    selected: [inst("a", { firewallGroupId: G })],
    group: group([...full(), { ...full()[0]!, id: 77 }]),
    changes: ["delete-rule 77 duplicate"],
    findings: ["rule-duplicate"],
  },
  {
    name: "adds the admin CIDR and ICMP after the required ports",
    policy: { ...SMARTCASH, icmp: true, adminAccess: [{ cidr: "203.0.113.7/32", port: 22, protocol: "tcp", note: "office" }] },
    selected: [inst("a", { firewallGroupId: G })],
    group: group(full()),
    changes: ["create-rule v4 tcp 22 203.0.113.7/32", "create-rule v4 icmp  0.0.0.0/0"],
    findings: ["rule-missing", "rule-missing"],
  },
  {
    name: "creates missing required rules before attaching anything",
    selected: [inst("a"), inst("b", { firewallGroupId: G })],
    group: group([rule("v4", "tcp", "9678", "0.0.0.0", 0)]),
    changes: ["create-rule v4 tcp 8080 0.0.0.0/0", "attach a from -"],
    findings: ["rule-missing", "instance-unattached"],
  },
];

describe("planChanges", () => {
  for (const c of cases) {
    it(c.name, () => {
      const policy = desiredPolicy(c.policy ?? SMARTCASH, c.ipv6 ?? false);
      const plan = planChanges({ policy, selected: c.selected, group: c.group, groupNames: names });
      assert.deepEqual(plan.changes.map(summary), c.changes);
      assert.deepEqual(plan.findings.map((f) => f.kind), c.findings);
    });
  }

  it("always orders group, rules, attachments, deletions", () => {
    const policy = desiredPolicy({ ...SMARTCASH, icmp: true }, true);
    const plan = planChanges({
      policy,
      selected: [inst("z"), inst("y", { firewallGroupId: "old" })],
      group: group([rule("v4", "tcp", "22", "0.0.0.0", 0)]),
      groupNames: names,
    });
    const rank = { "create-group": 0, "create-rule": 1, attach: 2, "delete-rule": 3 };
    const ranks = plan.changes.map((c) => rank[c.kind]);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    assert.ok(plan.changes.some((c) => c.kind === "delete-rule"));
  });

  it("never plans to delete a rule the policy requires", () => {
    const policy = desiredPolicy(SMARTCASH, true);
    const existing = [...full(), rule("v6", "tcp", "9678", "::", 0), rule("v6", "tcp", "8080", "::", 0), rule("v4", "udp", "53", "0.0.0.0", 0)];
    const plan = planChanges({ policy, selected: [inst("a", { firewallGroupId: G })], group: group(existing), groupNames: names });
    const deleted = plan.changes.filter((c) => c.kind === "delete-rule").map((c) => (c.kind === "delete-rule" ? c.rule.port : ""));
    assert.deepEqual(deleted, ["53"]);
  });
});

describe("plan notes", () => {
  it("warns that SSH stops reaching attached instances when the policy has no admin access", () => {
    const plan = planChanges({ policy: desiredPolicy(SMARTCASH, false), selected: [inst("a"), inst("b")], group: group(full()), groupNames: names });
    assert.deepEqual(plan.notes, [{ kind: "ssh-closed", instances: 2 }]);
  });

  it("says nothing about SSH when an admin entry covers port 22, or when nothing is attached", () => {
    const withAdmin = { ...SMARTCASH, adminAccess: [{ cidr: "203.0.113.7/32", port: "20:25", protocol: "tcp" as const }] };
    assert.deepEqual(planChanges({ policy: desiredPolicy(withAdmin, false), selected: [inst("a")], group: group(full()), groupNames: names }).notes, []);
    assert.deepEqual(planChanges({ policy: desiredPolicy(SMARTCASH, false), selected: [inst("a", { firewallGroupId: G })], group: group(full()), groupNames: names }).notes, []);
  });
});

describe("desiredPolicy", () => {
  it("opens only the coin's ports from anywhere, with no SSH by default", () => {
    const p = desiredPolicy(SMARTCASH, false);
    assert.deepEqual(p.rules.map((d) => `${d.rule.protocol} ${d.rule.port} ${d.rule.subnet}/${d.rule.subnetSize} ${d.role}`), [
      "tcp 9678 0.0.0.0/0 required",
      "tcp 8080 0.0.0.0/0 required",
    ]);
  });

  it("keeps an admin entry that equals a coin port as one required rule", () => {
    const p = desiredPolicy({ ...SMARTCASH, adminAccess: [{ cidr: "0.0.0.0/0", port: 9678, protocol: "tcp" }] }, false);
    assert.equal(p.rules.length, 2);
    assert.ok(p.rules.every((d) => d.role === "required"));
  });
});
