import type { AuditContext } from "../context.ts";
import type { AuditCheck } from "../model.ts";
import { describeVerifyFinding } from "../../verify/findings.ts";
import { findCoin } from "../../coins/index.ts";
import { perNode } from "./outside-common.ts";
import { fromSource } from "./source.ts";

export const outsideSapi: AuditCheck<AuditContext> = {
  id: "outside.sapi",
  step: "outside",
  title: "SAPI answering",
  passes: "On every address the node's SAPI status endpoint (SmartCash: TCP 8080) answers with its version and height — peers need it to accept the node's ping.",
  async run(ctx) {
    const coin = findCoin(ctx.config.coin);
    if (coin?.sapi === undefined) return [{ status: "cannot-check", evidence: `coin ${ctx.config.coin} has no SAPI`, fix: "nothing to do: this coin's nodes have no SAPI" }];
    if (!ctx.config.verify.sapi) return [{ status: "cannot-check", evidence: "verify.sapi is false in the config", fix: "set verify.sapi: true" }];
    return fromSource(ctx.outside, (facts) =>
      perNode(facts, (e, findings) => {
        const bad = findings.filter((f) => f.kind === "sapi-failed");
        if (bad.length > 0) return { status: "fail", text: bad.map(describeVerifyFinding).join(", "), fix: `open TCP ${coin.sapi?.port} in the firewall (\`nodeward firewall apply\` with coin: smartcash) and check the node serves SAPI` };
        const a = e.sapi?.result;
        if (a === undefined || a.status !== "up") return { status: "cannot-check", text: "SAPI was not asked", fix: "set verify.sapi: true" };
        return { status: "pass", text: `version ${a.version}, blocks ${a.blocks}` };
      }),
    );
  },
};
