import type { AuditContext } from "../context.ts";
import type { AuditCheck } from "../model.ts";
import { perNode, portList } from "./outside-common.ts";
import { fromSource } from "./source.ts";

export const outsideFiltered: AuditCheck<AuditContext> = {
  id: "outside.filtered",
  step: "outside",
  title: "Blocked ports filtered, not closed",
  passes: "Ports outside the policy give no answer (filtered): a RST (closed) means packets reach the host, so no cloud firewall is in front of that address.",
  run: (ctx) =>
    fromSource(ctx.outside, (facts) =>
      perNode(facts, (e, findings) => {
        const closed = findings.flatMap((f) => (f.kind === "not-filtered" ? f.ports : []));
        const filtered = e.ports.filter((p) => p.state === "filtered").length;
        if (closed.length === 0) return { status: "pass", text: `${filtered} of ${e.ports.length} scanned ports filtered, none closed` };
        return {
          status: "fail",
          text: `answered closed (RST), so packets reach the host: ${portList(closed)}`,
          fix: "attach the node to the policy's group: `nodeward firewall apply`",
        };
      }),
    ),
};
