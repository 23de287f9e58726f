import type { AuditContext } from "../context.ts";
import type { AuditCheck, CheckOutcome } from "../model.ts";
import { describeRule, isAnywhere } from "../../firewall/rule.ts";
import { fromSource } from "./source.ts";

export const firewallAttached: AuditCheck<AuditContext> = {
  id: "firewall.attached",
  step: "cloud-firewall",
  title: "Every node attached to the group",
  passes: "Each selected instance is attached to the policy's group (not to none, not to another group).",
  run: (ctx) =>
    fromSource(ctx.firewall, ({ prepared, exposure }): CheckOutcome[] => {
      const groupId = prepared.actual.group?.id;
      return exposure.map((e): CheckOutcome => {
        const node = e.instance.label || e.instance.id;
        if (e.kind === "unprotected") {
          return { node, status: "fail", evidence: "attached to no firewall group: every port reaches the server", fix: "run `nodeward firewall apply` to attach it" };
        }
        if (e.groupId !== groupId) {
          const open = e.rules.filter(isAnywhere).map(describeRule);
          return {
            node,
            status: "fail",
            evidence: `attached to another group "${e.description || e.groupId}"${open.length > 0 ? ` which opens to the world: ${open.join(", ")}` : ""}`,
            fix: "run `nodeward firewall apply` to move it to the policy's group",
          };
        }
        return { node, status: "pass", evidence: `attached to "${e.description}" (${e.groupId})` };
      });
    }),
};
