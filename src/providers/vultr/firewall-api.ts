import { AppError, InternalError, ProviderHttpError } from "../../core/errors.ts";
import type { GroupSummary, RemoteRule, Rule } from "../../firewall/model.ts";
import { canonicalRule, ruleKey } from "../../firewall/rule.ts";
import { createOnce } from "./create-once.ts";
import type { VultrHttp } from "./http.ts";
import { toCreateRuleBody, toGroup, toRemoteRule } from "./map.ts";
import { paginate, parseAnswer } from "./paginate.ts";
import { envelopes, groupSchema, ruleSchema, type CreateGroupBody } from "./wire.ts";

/** Firewall groups and rules. Writes never create a duplicate after an ambiguous failure. */

const rulesPath = (groupId: string) => `/firewalls/${encodeURIComponent(groupId)}/rules`;

export async function listGroups(http: VultrHttp, signal?: AbortSignal): Promise<GroupSummary[]> {
  const wire = await paginate(http, { path: "/firewalls", key: "firewall_groups", item: groupSchema, signal });
  return wire.map(toGroup);
}

export async function listRules(http: VultrHttp, groupId: string, signal?: AbortSignal): Promise<RemoteRule[]> {
  const path = rulesPath(groupId);
  const wire = await paginate(http, { path, key: "firewall_rules", item: ruleSchema, signal });
  return wire.map((w) => {
    const r = toRemoteRule(w);
    if (!r.ok) throw http.errors.badResponse({ method: "GET", path }, `firewall rule ${w.id}: ${r.reason}`);
    return r.rule;
  });
}

/** Callers call this only when no group has `description`; after an ambiguous POST it is looked up by it. */
export async function createGroup(http: VultrHttp, description: string, attempts: number, signal?: AbortSignal): Promise<GroupSummary> {
  const body: CreateGroupBody = { description };
  return createOnce({
    attempts,
    create: async () => {
      const res = await http.request("POST", "/firewalls", { body, signal });
      return toGroup(parseAnswer(http, envelopes.group, res.body, { method: "POST", path: "/firewalls" }).firewall_group);
    },
    find: async () => {
      const same = (await listGroups(http, signal)).filter((g) => g.description === description);
      if (same.length > 1) {
        throw new AppError("GROUP_AMBIGUOUS", `${same.length} firewall groups are named ${JSON.stringify(description)} after an interrupted create: ${same.map((g) => g.id).join(", ")}`, {
          hint: "delete the extra empty group in the Vultr portal, or set firewall.groupId to the one to use",
        });
      }
      return same[0];
    },
  });
}

/**
 * Creates a rule, or returns the identical one (same ruleKey) that already exists after an
 * ambiguous POST or a rejected duplicate.
 */
export async function createRule(http: VultrHttp, groupId: string, rule: Rule, attempts: number, signal?: AbortSignal): Promise<RemoteRule> {
  const canon = canonicalRule(rule);
  if (!canon.ok) throw new InternalError(`createRule was given an invalid rule: ${canon.reason}`);
  const key = ruleKey(canon.rule);
  const path = rulesPath(groupId);
  const body = toCreateRuleBody(canon.rule);
  return createOnce({
    attempts,
    create: async () => {
      const res = await http.request("POST", path, { body, signal });
      const w = parseAnswer(http, envelopes.rule, res.body, { method: "POST", path }).firewall_rule;
      const r = toRemoteRule(w);
      if (!r.ok) throw http.errors.badResponse({ method: "POST", path }, `firewall_rule: ${r.reason}`);
      return r.rule;
    },
    find: async () => (await listRules(http, groupId, signal)).find((r) => ruleKey(r) === key),
    // Vultr rejects an exact duplicate (status and text UNCONFIRMED; 400 expected).
    isConflict: (e) => e instanceof ProviderHttpError && (e.status === 400 || e.status === 409),
  });
}

/** A rule (or group) that is already gone counts as deleted. */
export async function deleteRule(http: VultrHttp, groupId: string, ruleId: number, signal?: AbortSignal): Promise<void> {
  try {
    await http.request("DELETE", `${rulesPath(groupId)}/${encodeURIComponent(String(ruleId))}`, { signal });
  } catch (e) {
    if (e instanceof ProviderHttpError && e.status === 404) return;
    throw e;
  }
}
