import { AppError } from "../core/errors.ts";
import type { Change } from "./plan.ts";
import type { Prepared } from "./prepare.ts";
import type { FirewallProvider } from "./provider.ts";
import type { ApplyOptions } from "./apply-options.ts";
import { describeRule, ruleKey } from "./rule.ts";
import { attachAll } from "./attach.ts";

export type { ApplyEvent, ApplyOptions } from "./apply-options.ts";

export interface ApplyResult {
  groupId: string;
  groupsCreated: number;
  rulesCreated: number;
  attached: number;
  rulesDeleted: number;
}

/**
 * Executes a plan in the order PRODUCT.md's invariants require: group → required rules → read
 * back → attach → poll until visible → stray rules last. Nothing is attached unless the read-back
 * shows every desired rule; no stray rule is removed unless every attachment is visible.
 */
export async function applyPlan(prepared: Prepared, opts: ApplyOptions): Promise<ApplyResult> {
  const { provider, signal } = opts;
  const emit = opts.onEvent ?? (() => {});
  const changes = prepared.plan.changes;
  const of = <K extends Change["kind"]>(kind: K) => changes.filter((c): c is Extract<Change, { kind: K }> => c.kind === kind);
  const result: ApplyResult = { groupId: prepared.plan.groupId ?? "", groupsCreated: 0, rulesCreated: 0, attached: 0, rulesDeleted: 0 };
  if (changes.length === 0) return result;

  let groupId = prepared.plan.groupId;
  if (groupId === null) {
    const g = await provider.createGroup(prepared.plan.description, signal);
    groupId = g.id;
    result.groupsCreated++;
    emit({ kind: "group-created", groupId, description: g.description });
  }
  result.groupId = groupId;

  for (const c of of("create-rule")) {
    await provider.createRule(groupId, c.rule, signal);
    result.rulesCreated++;
    emit({ kind: "rule-created", rule: c.rule });
  }

  const attaches = of("attach");
  const deletes = of("delete-rule");
  if (attaches.length > 0 || of("create-rule").length > 0) {
    await verifyRules(provider, groupId, prepared, signal);
    emit({ kind: "rules-verified", count: prepared.policy.rules.length });
  }

  if (attaches.length > 0) {
    result.attached = await attachAll(groupId, attaches, opts, emit);
  }

  for (const c of deletes) {
    await provider.deleteRule(groupId, c.ruleId, signal);
    result.rulesDeleted++;
    emit({ kind: "rule-deleted", rule: c.rule });
  }
  return result;
}

/** Read-back: every desired rule must be visible on the group before anything is attached to it. */
async function verifyRules(provider: FirewallProvider, groupId: string, prepared: Prepared, signal?: AbortSignal): Promise<void> {
  const present = new Set((await provider.listRules(groupId, signal)).map(ruleKey));
  const absent = prepared.policy.rules.filter((d) => !present.has(ruleKey(d.rule)));
  if (absent.length > 0) {
    throw new AppError("APPLY_UNSAFE", `after creating rules, group ${groupId} still lacks ${absent.map((d) => describeRule(d.rule)).join(", ")}; nothing was attached`, {
      hint: "run `nodeward firewall apply` again; if it repeats, check the group in the Vultr console",
    });
  }
}
