import ipaddr from "ipaddr.js";
import type { DesiredPolicy } from "../firewall/policy.ts";
import type { SshSession } from "./session.ts";

/**
 * The lock-out guard (pure): would a NEW connection from the SSH client we are talking through
 * still be accepted by the ruleset built from this policy? The running session itself survives
 * (established connections are accepted), but the next login would not.
 */

export type GuardVerdict = { ok: true; why: string } | { ok: false; why: string };

export function acceptsTcp(policy: DesiredPolicy, clientIp: string, port: number): string | null {
  const addr = ipaddr.parse(clientIp);
  const family = addr.kind() === "ipv4" ? "v4" : "v6";
  for (const d of policy.rules) {
    const r = d.rule;
    if (r.protocol !== "tcp" || !portCovers(r.port, port)) continue;
    if (d.role === "required" && r.subnetSize === 0) return `tcp ${r.port} is open to everyone (${d.purpose})`;
    if (r.ipType !== family) continue;
    if (r.subnetSize === 0 || addr.match(ipaddr.parse(r.subnet), r.subnetSize)) return `tcp ${r.port} is allowed from ${r.subnet}/${r.subnetSize} (${d.purpose})`;
  }
  return null;
}

export function lockoutGuard(policy: DesiredPolicy, session: SshSession, sshPort: number): GuardVerdict {
  if (session.over === "none") return { ok: true, why: "this command does not run over SSH" };
  if (session.over === "ssh-unknown") {
    const why = acceptsAnyone(policy, sshPort);
    return why === null
      ? { ok: false, why: `this command runs over SSH (${session.how}) but the client address is unknown, and the new ruleset does not open tcp ${sshPort} to everyone: after this session ends you could not log in again` }
      : { ok: true, why };
  }
  const why = acceptsTcp(policy, session.clientIp, session.serverPort);
  return why === null
    ? {
        ok: false,
        why: `you are connected over SSH from ${session.clientIp} to port ${session.serverPort} (${session.how}), and the new ruleset drops new connections from there to that port: this session would keep working, but once it ends you could not log in again`,
      }
    : { ok: true, why: `your SSH session from ${session.clientIp} stays reachable: ${why}` };
}

/** Open to every address of both families (the client's family is unknown too). */
function acceptsAnyone(policy: DesiredPolicy, port: number): string | null {
  const open = (fam: "v4" | "v6") =>
    policy.rules.find((d) => d.rule.protocol === "tcp" && d.rule.subnetSize === 0 && portCovers(d.rule.port, port) && (d.role === "required" || d.rule.ipType === fam));
  const v4 = open("v4");
  const v6 = open("v6");
  return v4 === undefined || v6 === undefined ? null : `tcp ${port} is open to everyone (${v4.purpose})`;
}

function portCovers(text: string, port: number): boolean {
  const [lo = "", hi = lo] = text.split(":");
  return Number(lo) <= port && port <= Number(hi);
}
