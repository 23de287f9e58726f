import type { AuditContext } from "../context.ts";
import type { AuditCheck } from "../model.ts";
import { describeVerifyFinding } from "../../verify/findings.ts";
import { perNode, portList } from "./outside-common.ts";
import { fromSource } from "./source.ts";

export const outsidePorts: AuditCheck<AuditContext> = {
  id: "outside.ports",
  step: "outside",
  title: "Only the coin's ports reachable",
  passes: "From outside, on every IPv4 and IPv6 address of the node, the coin's ports are open and no other scanned port is (admin ports allowed only from their sources).",
  run: (ctx) =>
    fromSource(ctx.outside, (facts) =>
      perNode(facts, (e, findings) => {
        const bad = findings.filter((f) => f.kind === "unexpected-open" || f.kind === "required-port-not-open");
        const open = e.ports.filter((p) => p.state === "open").map((p) => p.port);
        if (bad.length === 0) return { status: "pass", text: `open ${portList(open)} of ${e.ports.length} scanned` };
        const unexpected = bad.some((f) => f.kind === "unexpected-open");
        const blocked = bad.some((f) => f.kind === "required-port-not-open" && f.state === "filtered");
        return {
          status: "fail",
          text: bad.map(describeVerifyFinding).join(", "),
          fix: unexpected || blocked
            ? "run `nodeward firewall apply`: the policy's group opens the coin's ports and nothing else"
            : "start the coin daemon and make it listen on its public address, then `nodeward verify`",
        };
      }),
    ),
};
