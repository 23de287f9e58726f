import type { DesiredPolicy } from "./policy.ts";
import type { Instance, RemoteRule, Rule } from "./model.ts";
import { hasIpv6 } from "./model.ts";
import { isAnywhere, ruleKey } from "./rule.ts";

/** The policy's group as it exists at the provider (null: not created yet). */
export interface ActualGroup {
  id: string;
  description: string;
  rules: readonly RemoteRule[];
}

export interface PlanInput {
  policy: DesiredPolicy;
  /** The selected instances, as the provider reports them now. */
  selected: readonly Instance[];
  group: ActualGroup | null;
  /** Every group's description by id, to name the group an instance is on now. */
  groupNames: ReadonlyMap<string, string>;
}

export type Change =
  | { kind: "create-group"; description: string }
  | { kind: "create-rule"; rule: Rule; purpose: string; role: "required" | "admin" | "icmp" }
  | { kind: "attach"; instanceId: string; label: string; fromGroupId: string; fromDescription: string }
  | { kind: "delete-rule"; ruleId: number; rule: Rule; why: "outside" | "duplicate" };

export type Finding =
  | { kind: "group-missing"; description: string }
  | { kind: "rule-missing"; rule: Rule; purpose: string }
  | { kind: "ipv6-uncovered"; instanceId: string; label: string; missing: readonly Rule[] }
  | { kind: "rule-extra"; ruleId: number; rule: Rule; toWorld: boolean }
  | { kind: "rule-duplicate"; ruleId: number; rule: Rule }
  | { kind: "instance-unattached"; instanceId: string; label: string }
  | { kind: "instance-other-group"; instanceId: string; label: string; groupId: string; description: string };

/** Things the operator should know before saying yes; not changes, not drift. */
export type PlanNote = { kind: "ssh-closed"; instances: number };

export interface Plan {
  description: string;
  /** The group the plan acts on; null when it will be created. */
  groupId: string | null;
  /** In the only safe order: group, rules, attachments, stray rules last. */
  changes: readonly Change[];
  /** The same differences, named for drift reports. */
  findings: readonly Finding[];
  notes: readonly PlanNote[];
  selected: number;
}

const ROLE_ORDER = { required: 0, admin: 1, icmp: 2 } as const;

/**
 * Pure planner: desired vs actual → ordered changes and named findings. A changed rule appears
 * as a create (early) plus a delete (last), so no accepted port is ever briefly absent.
 */
export function planChanges(input: PlanInput): Plan {
  const { policy, selected, group } = input;
  const changes: Change[] = [];
  const findings: Finding[] = [];

  if (group === null) {
    changes.push({ kind: "create-group", description: policy.description });
    findings.push({ kind: "group-missing", description: policy.description });
  }

  const actualByKey = new Map<string, RemoteRule[]>();
  for (const r of group?.rules ?? []) {
    const k = ruleKey(r);
    actualByKey.set(k, [...(actualByKey.get(k) ?? []), r]);
  }

  const missing = policy.rules
    .filter((d) => !actualByKey.has(ruleKey(d.rule)))
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
  for (const d of missing) {
    changes.push({ kind: "create-rule", rule: d.rule, purpose: d.purpose, role: d.role });
    if (group !== null) findings.push({ kind: "rule-missing", rule: d.rule, purpose: d.purpose });
  }

  if (group !== null) {
    const missingV6 = missing.filter((d) => d.role === "required" && d.rule.ipType === "v6").map((d) => d.rule);
    if (missingV6.length > 0) {
      for (const i of sortByLabel(selected.filter(hasIpv6))) {
        findings.push({ kind: "ipv6-uncovered", instanceId: i.id, label: i.label, missing: missingV6 });
      }
    }
  }

  for (const i of sortByLabel(selected)) {
    if (group !== null && i.firewallGroupId === group.id) continue;
    const fromDescription = i.firewallGroupId === "" ? "" : (input.groupNames.get(i.firewallGroupId) ?? "");
    changes.push({ kind: "attach", instanceId: i.id, label: i.label, fromGroupId: i.firewallGroupId, fromDescription });
    if (i.firewallGroupId === "") findings.push({ kind: "instance-unattached", instanceId: i.id, label: i.label });
    else findings.push({ kind: "instance-other-group", instanceId: i.id, label: i.label, groupId: i.firewallGroupId, description: fromDescription });
  }

  const desiredKeys = new Set(policy.rules.map((d) => ruleKey(d.rule)));
  const strays: Change[] = [];
  for (const [key, rules] of [...actualByKey.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...rules].sort((a, b) => a.id - b.id);
    const keep = desiredKeys.has(key) ? 1 : 0;
    sorted.forEach((r, n) => {
      if (n < keep) return;
      const why = n === 0 ? "outside" : "duplicate";
      strays.push({ kind: "delete-rule", ruleId: r.id, rule: r, why });
      findings.push(why === "outside" ? { kind: "rule-extra", ruleId: r.id, rule: r, toWorld: isAnywhere(r) } : { kind: "rule-duplicate", ruleId: r.id, rule: r });
    });
  }
  changes.push(...strays);

  const notes: PlanNote[] = [];
  const attaching = changes.filter((c) => c.kind === "attach").length;
  if (attaching > 0 && !policy.rules.some((d) => d.rule.protocol === "tcp" && portCovers(d.rule.port, 22))) {
    notes.push({ kind: "ssh-closed", instances: attaching });
  }

  return { description: policy.description, groupId: group?.id ?? null, changes, findings, notes, selected: selected.length };
}

function portCovers(port: string, n: number): boolean {
  const [lo, hi = lo] = port.split(":").map(Number);
  return lo !== undefined && hi !== undefined && lo <= n && n <= hi;
}

function sortByLabel<T extends { label: string; id: string }>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
}

export function countChanges(plan: Plan): Record<Change["kind"], number> {
  const counts = { "create-group": 0, "create-rule": 0, attach: 0, "delete-rule": 0 };
  for (const c of plan.changes) counts[c.kind]++;
  return counts;
}
