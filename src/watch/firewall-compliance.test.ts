import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Plan } from "../firewall/plan.ts";
import type { Rule } from "../firewall/model.ts";
import { complianceByInstance, FirewallCompliance } from "./firewall-compliance.ts";

const rule = (port: string, ipType: "v4" | "v6" = "v4"): Rule => ({ ipType, protocol: "tcp", port, subnet: ipType === "v4" ? "0.0.0.0" : "::", subnetSize: 0, source: "", notes: "" }) as Rule;
const plan = (findings: Plan["findings"]): Plan => ({ description: "SmartNodes Only", groupId: "g", changes: [], findings, notes: [], selected: 3 });

describe("firewall compliance per node", () => {
  it("is compliant when the plan finds nothing", () => {
    const v = complianceByInstance(plan([]), ["a", "b"], 1000);
    assert.deepEqual(v.get("a"), { compliant: true, detail: "", checkedAt: 1000 });
    assert.equal(v.size, 2);
  });

  it("gives every node its group's drift and each node its own", () => {
    const v = complianceByInstance(
      plan([
        { kind: "rule-missing", rule: rule("8080"), purpose: "SAPI" },
        { kind: "rule-extra", ruleId: 7, rule: rule("22"), toWorld: true },
        { kind: "rule-extra", ruleId: 8, rule: { ...rule("22"), subnet: "203.0.113.7", subnetSize: 32 }, toWorld: false },
        { kind: "rule-duplicate", ruleId: 9, rule: rule("9678") },
        { kind: "instance-unattached", instanceId: "b", label: "sn-b" },
        { kind: "ipv6-uncovered", instanceId: "c", label: "sn-c", missing: [rule("9678", "v6")] },
      ]),
      ["a", "b", "c"],
      5,
    );
    assert.equal(v.get("a")?.detail, "group lacks tcp 8080 from 0.0.0.0/0 (v4); group opens tcp 22 from 0.0.0.0/0 (v4) to the world");
    assert.match(v.get("b")?.detail ?? "", /^not attached to the group; group lacks tcp 8080/);
    assert.match(v.get("c")?.detail ?? "", /^IPv6 not covered \(tcp 9678 from ::\/0 \(v6\)\)/);
    assert.ok([...v.values()].every((c) => !c.compliant));
  });

  it("does not repeat 'not attached' when the group itself is missing", () => {
    const v = complianceByInstance(plan([{ kind: "group-missing", description: "SmartNodes Only" }, { kind: "instance-unattached", instanceId: "a", label: "sn-a" }]), ["a"], 1);
    assert.equal(v.get("a")?.detail, 'no firewall group "SmartNodes Only"');
  });

  it("keeps the previous verdicts when a check fails, and says so once per failure", async () => {
    const warnings: string[] = [];
    let fail = false;
    const fc = new FirewallCompliance({
      plan: async () => {
        if (fail) throw new Error("provider unreachable");
        return { plan: plan([{ kind: "instance-unattached", instanceId: "a", label: "sn-a" }]), selectedIds: ["a"] };
      },
      now: () => 42,
      log: { warn: (_o, m) => warnings.push(m) },
    });
    assert.equal(fc.get("a"), null, "not checked yet");
    await fc.check(new AbortController().signal);
    assert.deepEqual(fc.get("a"), { compliant: false, detail: "not attached to the group", checkedAt: 42 });
    fail = true;
    await fc.check(new AbortController().signal);
    assert.equal(fc.get("a")?.detail, "not attached to the group");
    assert.equal(warnings.length, 1);
  });
});
