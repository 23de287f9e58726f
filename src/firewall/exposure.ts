import type { GroupSummary, Instance, Rule } from "./model.ts";
import type { FirewallProvider } from "./provider.ts";

/** What the cloud firewall lets through to one instance, as the provider reports it. */
export type Exposure =
  | { instance: Instance; kind: "unprotected" }
  | { instance: Instance; kind: "group"; groupId: string; description: string; rules: readonly Rule[] };

/** Reads each group the instances are on (once per group) and says what reaches each instance. */
export async function readExposure(
  provider: FirewallProvider,
  instances: readonly Instance[],
  groups: readonly GroupSummary[],
  signal?: AbortSignal,
): Promise<Exposure[]> {
  const names = new Map(groups.map((g) => [g.id, g.description]));
  const ids = [...new Set(instances.map((i) => i.firewallGroupId).filter((id) => id !== ""))];
  const rules = new Map(await Promise.all(ids.map(async (id) => [id, await provider.listRules(id, signal)] as const)));
  return instances.map((instance) =>
    instance.firewallGroupId === ""
      ? { instance, kind: "unprotected" }
      : { instance, kind: "group", groupId: instance.firewallGroupId, description: names.get(instance.firewallGroupId) ?? "", rules: rules.get(instance.firewallGroupId) ?? [] },
  );
}
