import { describeFinding } from "../../firewall/render.ts";
import { describeRule } from "../../firewall/rule.ts";
import type { AuditContext } from "../context.ts";
import type { AuditCheck, CheckOutcome } from "../model.ts";
import { fromSource } from "./source.ts";

const RULE_KINDS = new Set(["rule-missing", "rule-extra", "rule-duplicate"]);

export const firewallRules: AuditCheck<AuditContext> = {
  id: "firewall.rules",
  step: "cloud-firewall",
  title: "Exactly the required rules",
  passes: "The group holds every rule the coin needs (both IP families when a node has IPv6), no duplicate, and nothing else — no SSH or other rule added by hand.",
  run: (ctx) =>
    fromSource(ctx.firewall, ({ prepared }): CheckOutcome[] => {
      const { plan, policy, actual } = prepared;
      if (actual.group === null) {
        return [{ status: "fail", evidence: "there is no group, so no rule accepts the coin's ports", fix: "run `nodeward firewall apply`" }];
      }
      const bad = plan.findings.filter((f) => RULE_KINDS.has(f.kind));
      if (bad.length > 0) {
        const world = bad.some((f) => f.kind === "rule-extra" && f.toWorld);
        return [{
          status: "fail",
          evidence: bad.map(describeFinding).join("; "),
          fix: world
            ? "run `nodeward firewall apply`: it adds what is missing and removes rules open to the whole Internet (use firewall.adminAccess for your own address)"
            : "run `nodeward firewall apply` to add the missing rules and remove the others",
        }];
      }
      const rules = policy.rules.map((d) => `${describeRule(d.rule)} (${d.purpose})`).join("; ");
      if (ctx.config.coin === "smartcash-legacy") {
        return [{
          status: "attention",
          evidence: `exactly the guide's policy: ${rules}. Since SmartCash 2.0 peers accept a SmartNode's ping only when TCP 8080 (SAPI) answers, so a v2 node behind this group turns EXPIRED after 65 minutes`,
          fix: "set `coin: smartcash` (9678 and 8080) unless these nodes are not v2 SmartNodes, then `nodeward firewall apply`",
        }];
      }
      return [{ status: "pass", evidence: `exactly the policy: ${rules}` }];
    }),
};
