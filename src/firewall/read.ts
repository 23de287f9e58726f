import type { GroupSummary, Instance } from "./model.ts";
import type { ActualGroup } from "./plan.ts";
import type { FirewallProvider } from "./provider.ts";
import { findPolicyGroup } from "./group.ts";

export interface ActualState {
  instances: readonly Instance[];
  groups: readonly GroupSummary[];
  group: ActualGroup | null;
}

/** Reads everything a plan needs: every instance and group, and the policy group's rules. */
export async function readActual(
  provider: FirewallProvider,
  want: { description: string; groupId?: string | undefined },
  signal?: AbortSignal,
): Promise<ActualState> {
  const [instances, groups] = await Promise.all([provider.listInstances(signal), provider.listGroups(signal)]);
  const summary = findPolicyGroup(groups, want);
  const group = summary === null ? null : { ...summary, rules: await provider.listRules(summary.id, signal) };
  return { instances, groups, group };
}
