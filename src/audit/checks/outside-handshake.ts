import type { AuditContext } from "../context.ts";
import type { AuditCheck } from "../model.ts";
import { describeVerifyFinding } from "../../verify/findings.ts";
import { findCoin } from "../../coins/index.ts";
import { perNode } from "./outside-common.ts";
import { fromSource } from "./source.ts";

export const outsideHandshake: AuditCheck<AuditContext> = {
  id: "outside.handshake",
  step: "outside",
  title: "P2P handshake with a current protocol",
  passes: "On every address the node completes the coin's P2P handshake (version, verack) and announces at least the network's minimum protocol version.",
  async run(ctx) {
    const coin = findCoin(ctx.config.coin);
    if (coin?.p2p === undefined) return [{ status: "cannot-check", evidence: `coin ${ctx.config.coin} has no P2P profile in nodeward`, fix: "use a coin profile (smartcash, dash) to have the handshake checked" }];
    if (!ctx.config.verify.handshake) return [{ status: "cannot-check", evidence: "verify.handshake is false in the config", fix: "set verify.handshake: true" }];
    const min = coin.p2p.minProtocolVersion;
    return fromSource(ctx.outside, (facts) =>
      perNode(facts, (e, findings) => {
        const bad = findings.filter((f) => f.kind === "handshake-failed" || f.kind === "protocol-too-old");
        if (bad.length > 0) {
          const old = bad.some((f) => f.kind === "protocol-too-old" || (f.kind === "handshake-failed" && f.reason === "protocol-too-old"));
          return { status: "fail", text: bad.map(describeVerifyFinding).join(", "), fix: old ? "update the coin daemon to the current release" : "check the daemon runs and is synced (smartcash-cli getinfo) and that the P2P port is open" };
        }
        const h = e.handshake?.result;
        if (h === undefined || h.status !== "up") return { status: "cannot-check", text: "no handshake was attempted", fix: "set verify.handshake: true" };
        return { status: "pass", text: `protocol ${h.protocolVersion}${min === undefined ? "" : ` (minimum ${min})`}, ${h.userAgent}, height ${h.startHeight}` };
      }),
    );
  },
};
