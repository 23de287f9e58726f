import type { AuditContext } from "../context.ts";
import type { AuditCheck, CheckOutcome } from "../model.ts";
import { hasIpv6 } from "../../firewall/model.ts";
import { ruleKey } from "../../firewall/rule.ts";
import { fromSource, plural } from "./source.ts";

export const firewallIpv6: AuditCheck<AuditContext> = {
  id: "firewall.ipv6",
  step: "cloud-firewall",
  title: "IPv6 covered where a node has it",
  passes: "For every node with an IPv6 address, the group accepts the coin's ports over IPv6 too (IPv6 exposure is checked, not assumed away).",
  run: (ctx) =>
    fromSource(ctx.firewall, ({ prepared }): CheckOutcome[] => {
      const v6Nodes = prepared.selected.filter(hasIpv6);
      if (v6Nodes.length === 0) {
        return [{ status: "pass", evidence: `none of the ${plural(prepared.selected.length, "selected instance")} has IPv6: no IPv6 rule is needed` }];
      }
      const group = prepared.actual.group;
      const have = new Set((group?.rules ?? []).map(ruleKey));
      const wanted = prepared.policy.rules.filter((d) => d.role === "required" && d.rule.ipType === "v6");
      const missing = wanted.filter((d) => !have.has(ruleKey(d.rule))).map((d) => `${d.rule.protocol} ${d.rule.port} (${d.purpose})`);
      return v6Nodes.map((i): CheckOutcome => {
        const node = i.label || i.id;
        if (group === null) return { node, status: "fail", evidence: `${i.v6MainIp}: no policy group, so no IPv6 rule`, fix: "run `nodeward firewall apply`" };
        if (missing.length > 0) {
          return { node, status: "fail", evidence: `${i.v6MainIp}: the group has no IPv6 rule for ${missing.join(", ")}; peers reaching it over IPv6 are dropped`, fix: "run `nodeward firewall apply` to add the IPv6 rules" };
        }
        return { node, status: "pass", evidence: `${i.v6MainIp}: the group accepts ${wanted.map((d) => `${d.rule.protocol} ${d.rule.port}`).join(", ")} over IPv6` };
      });
    }),
};
