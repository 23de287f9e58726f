import type { GroupSummary, Instance, RemoteRule, Rule } from "./model.ts";

/**
 * The port every cloud firewall provider implements (providers/vultr is the first).
 * Methods take an AbortSignal and return values; failures throw AppError/ProviderHttpError.
 * Write methods must be safe to call again after an ambiguous failure: an implementation never
 * blindly repeats a POST that may have succeeded — it re-reads first.
 */
export interface FirewallProvider {
  readonly id: string;
  /** Every instance in the account (all pages). */
  listInstances(signal?: AbortSignal): Promise<Instance[]>;
  /** Instances the provider reports as attached to `groupId` (all pages, server-side filter). */
  listInstancesInGroup(groupId: string, signal?: AbortSignal): Promise<Instance[]>;
  listGroups(signal?: AbortSignal): Promise<GroupSummary[]>;
  listRules(groupId: string, signal?: AbortSignal): Promise<RemoteRule[]>;
  createGroup(description: string, signal?: AbortSignal): Promise<GroupSummary>;
  createRule(groupId: string, rule: Rule, signal?: AbortSignal): Promise<RemoteRule>;
  /** Deleting a rule that is already gone is success. */
  deleteRule(groupId: string, ruleId: number, signal?: AbortSignal): Promise<void>;
  /** Accepted, not yet visible: callers poll listInstancesInGroup. */
  attachInstance(instanceId: string, groupId: string, signal?: AbortSignal): Promise<void>;
}
