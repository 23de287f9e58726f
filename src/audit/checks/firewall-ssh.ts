import type { AuditContext } from "../context.ts";
import type { AuditCheck, CheckOutcome } from "../model.ts";
import type { Rule } from "../../firewall/model.ts";
import { isAnywhere } from "../../firewall/rule.ts";
import { fromSource } from "./source.ts";

/** True when the rule accepts TCP port `n`. */
function covers(r: Rule, n: number): boolean {
  if (r.protocol !== "tcp") return false;
  const [lo, hi = lo] = r.port.split(":").map(Number);
  return lo !== undefined && hi !== undefined && lo <= n && n <= hi;
}

export const firewallSsh: AuditCheck<AuditContext> = {
  id: "firewall.ssh",
  step: "cloud-firewall",
  title: "No SSH from the Internet",
  passes: "The cloud firewall in front of each node accepts SSH (TCP 22) from nobody, or only from the admin sources in firewall.adminAccess.",
  run: (ctx) =>
    fromSource(ctx.firewall, ({ exposure }): CheckOutcome[] =>
      exposure.map((e): CheckOutcome => {
        const node = e.instance.label || e.instance.id;
        if (e.kind === "unprotected") {
          return { node, status: "fail", evidence: "no firewall group: SSH, like every port, is reachable from anywhere", fix: "run `nodeward firewall apply`; log in through Vultr's web console" };
        }
        const ssh = e.rules.filter((r) => covers(r, 22));
        const world = ssh.filter(isAnywhere);
        if (world.length > 0) {
          return { node, status: "fail", evidence: `group "${e.description || e.groupId}" accepts SSH from the whole Internet (${world.map((r) => `${r.ipType} ${r.protocol} ${r.port}`).join(", ")})`, fix: "run `nodeward firewall apply` (it removes the rule); for your own access add firewall.adminAccess with your address" };
        }
        if (ssh.length > 0) {
          return { node, status: "pass", evidence: `SSH only from ${ssh.map((r) => `${r.subnet}/${r.subnetSize}`).join(", ")}` };
        }
        return { node, status: "pass", evidence: "no rule accepts SSH: log in through the provider's web console" };
      }),
    ),
};
