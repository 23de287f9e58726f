import type { AuditContext } from "../context.ts";
import type { AuditCheck } from "../model.ts";
import { plural } from "./source.ts";

export const firewallGroup: AuditCheck<AuditContext> = {
  id: "firewall.group",
  step: "cloud-firewall",
  title: "The policy's firewall group exists",
  passes: "The provider has exactly one firewall group with the configured description (or the pinned firewall.groupId).",
  async run(ctx) {
    const o = await ctx.firewall();
    if (!o.ok) {
      return [o.code === "GROUP_AMBIGUOUS" ? { status: "fail", evidence: o.reason, fix: o.fix } : { status: "cannot-check", evidence: o.reason, fix: o.fix }];
    }
    const { prepared } = o.value;
    const group = prepared.actual.group;
    if (group === null) {
      return [{ status: "fail", evidence: `no firewall group is described "${prepared.policy.description}"`, fix: "run `nodeward firewall apply` to create it with the policy's rules" }];
    }
    const on = prepared.selected.filter((i) => i.firewallGroupId === group.id).length;
    return [{ status: "pass", evidence: `group "${group.description}" (${group.id}) with ${plural(group.rules.length, "rule")}, guarding ${on} of ${plural(prepared.selected.length, "selected instance")}` }];
  },
};
