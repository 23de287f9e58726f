import type { Rule } from "../firewall/model.ts";
import { ruleKey } from "../firewall/rule.ts";
import { NO_RULES } from "./history.ts";
import { fail, MAX_RULES_PER_GROUP, type SimGroup, type SimResult, type SimRule } from "./model.ts";

/**
 * One firewall group with its rules (integer ids, never reused, unique within the group) and the
 * set of instances attached to it, kept as an index so that rule changes touch only the members.
 */
export class GroupRecord {
  readonly group: SimGroup;
  readonly members = new Set<string>();
  readonly #rules = new Map<number, SimRule>();
  readonly #keys = new Set<string>();
  #nextRuleId = 1;
  #snapshot: readonly Rule[] = NO_RULES;

  constructor(group: SimGroup) {
    this.group = group;
  }

  get ruleCount(): number {
    return this.#rules.size;
  }

  rules(): SimRule[] {
    return [...this.#rules.values()];
  }

  rule(id: number): SimRule | undefined {
    return this.#rules.get(id);
  }

  /** The canonical rules without ids, frozen and shared by every history record taken now. */
  snapshot(): readonly Rule[] {
    return this.#snapshot;
  }

  addRule(rule: Rule, modifiedAt: string): SimResult<SimRule> {
    const key = ruleKey(rule);
    if (this.#keys.has(key)) return fail(400, "Unable to create firewall rule: an identical rule already exists in this group.");
    if (this.#rules.size >= MAX_RULES_PER_GROUP) {
      return fail(400, `Unable to create firewall rule: the group already has the maximum of ${MAX_RULES_PER_GROUP} rules.`);
    }
    const stored: SimRule = Object.freeze({ ...rule, id: this.#nextRuleId++ });
    this.#rules.set(stored.id, stored);
    this.#keys.add(key);
    this.#changed(modifiedAt);
    return { ok: true, value: stored };
  }

  deleteRule(id: number, modifiedAt: string): boolean {
    const rule = this.#rules.get(id);
    if (!rule) return false;
    this.#rules.delete(id);
    this.#keys.delete(ruleKey(rule));
    this.#changed(modifiedAt);
    return true;
  }

  #changed(modifiedAt: string): void {
    this.group.date_modified = modifiedAt;
    this.#snapshot = Object.freeze([...this.#rules.values()].map(({ id: _id, ...rule }) => Object.freeze(rule)));
  }
}
