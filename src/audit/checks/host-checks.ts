import type { AuditContext } from "../context.ts";
import type { AuditCheck, CheckOutcome } from "../model.ts";
import type { HostFacts } from "../ports.ts";
import { fromProvided } from "./provided.ts";

const NOT_GIVEN = "run the audit on the node as root (`nodeward audit --on-node`) or pass `--conf /path/to/smartcash.conf`";

function hostCheck(id: string, title: string, passes: string, judge: (facts: HostFacts) => CheckOutcome): AuditCheck<AuditContext> {
  return {
    id,
    step: "host",
    title,
    passes,
    run: (ctx) => fromProvided(ctx.host, NOT_GIVEN, async (probe) => [judge(await probe.inspect(ctx.signal))]),
  };
}

export const hostFirewall = hostCheck(
  "host.firewall",
  "Host firewall loaded",
  "The node's own packet filter (nodeward's nftables ruleset) is loaded, a second wall behind the cloud firewall.",
  ({ ruleset }) => {
    if (ruleset === null) return { status: "cannot-check", evidence: "the ruleset could not be read here (needs root on the node)", fix: "run the audit on the node as root" };
    if (ruleset.state === "loaded") return { status: "pass", evidence: ruleset.detail };
    return { status: "fail", evidence: ruleset.detail, fix: ruleset.state === "stale" ? "on the node: `nodeward host plan` shows the difference; `nodeward host apply`, then `nodeward host confirm`" : "on the node: `nodeward host apply`, then `nodeward host confirm`" };
  },
);

export const hostSsh = hostCheck(
  "host.ssh",
  "SSH off or admin-only",
  "sshd is off (log in through the provider's console) or accepts only the admin sources.",
  ({ ssh }) => {
    if (ssh === null) return { status: "cannot-check", evidence: "sshd's state could not be read here", fix: "run the audit on the node as root" };
    return ssh.state === "open"
      ? { status: "fail", evidence: ssh.detail, fix: "on the node: `nodeward host apply` locks sshd down (with automatic rollback)" }
      : { status: "pass", evidence: ssh.detail };
  },
);

export const hostRpc = hostCheck(
  "host.rpc",
  "RPC bound to localhost",
  "The coin daemon's RPC (SmartCash: 9679) listens only on loopback: rpcbind=127.0.0.1 whenever rpcallowip is set.",
  ({ rpc }) => {
    if (rpc === null) return { status: "cannot-check", evidence: "the daemon's configuration could not be read", fix: "pass `--conf /path/to/smartcash.conf`" };
    return rpc.state === "all-interfaces"
      ? { status: "fail", evidence: rpc.detail, fix: "add rpcbind=127.0.0.1 to smartcash.conf (rpcallowip without rpcbind listens on every interface) and restart smartcashd" }
      : { status: "pass", evidence: rpc.detail };
  },
);
