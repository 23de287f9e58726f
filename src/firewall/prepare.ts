import { AppError } from "../core/errors.ts";
import type { Instance } from "./model.ts";
import { hasIpv6 } from "./model.ts";
import { planChanges, type Plan } from "./plan.ts";
import { desiredPolicy, type DesiredPolicy, type PolicyInput } from "./policy.ts";
import type { FirewallProvider } from "./provider.ts";
import { readActual, type ActualState } from "./read.ts";

export interface PlanRequest {
  policy: PolicyInput;
  groupId?: string | undefined;
  select: (instances: readonly Instance[]) => Instance[];
  /** How the selection reads to a person, for the empty-selection message. */
  selectorText: string;
}

export interface Prepared {
  actual: ActualState;
  selected: readonly Instance[];
  policy: DesiredPolicy;
  plan: Plan;
}

/**
 * Reads the provider and plans. IPv6 rules are wanted when any selected instance, or any
 * instance already on the group, has IPv6 — removing them would take a port from a node.
 */
export async function preparePlan(provider: FirewallProvider, req: PlanRequest, signal?: AbortSignal): Promise<Prepared> {
  const actual = await readActual(provider, { description: req.policy.description, groupId: req.groupId }, signal);
  const selected = req.select(actual.instances);
  if (selected.length === 0) {
    throw new AppError("SELECTION_EMPTY", `no instance matches nodes (${req.selectorText}); the account has ${actual.instances.length} instance${actual.instances.length === 1 ? "" : "s"}`, {
      hint: "check the tags, labels, regions or ids under `nodes:` in nodeward.yaml",
    });
  }
  const onGroup = actual.group === null ? [] : actual.instances.filter((i) => i.firewallGroupId === actual.group?.id);
  const ipv6 = selected.some(hasIpv6) || onGroup.some(hasIpv6);
  const policy = desiredPolicy(req.policy, ipv6);
  const groupNames = new Map(actual.groups.map((g) => [g.id, g.description]));
  const plan = planChanges({ policy, selected, group: actual.group, groupNames });
  return { actual, selected, policy, plan };
}
