import type { Rule } from "../../firewall/model.ts";

/** One simulated instance as the packet filter sees it. */
export interface FilteredHost {
  v4: string;
  /** "" when the instance has no IPv6. */
  v6: string;
  /** The rules of the group it is attached to; null = no group, nothing is filtered (as at Vultr). */
  rules: readonly Rule[] | null;
}

export const WORLD_TABLE = "nodeward_sim";

/**
 * The simulated cloud firewall as a real nftables ruleset (pure): traffic to an instance on a group
 * is dropped unless a rule of that group accepts it — Vultr's default-drop — and traffic to an
 * instance on no group is not filtered at all. Replies and neighbour discovery always pass.
 */
export function worldRuleset(hosts: readonly FilteredHost[]): string {
  const jumps: string[] = [];
  const chains: string[] = [];
  hosts.forEach((h, n) => {
    if (h.rules === null) return;
    const chain = `host_${n}`;
    jumps.push(`    ip daddr ${h.v4} jump ${chain}`);
    if (h.v6 !== "") jumps.push(`    ip6 daddr ${h.v6} jump ${chain}`);
    chains.push(`  chain ${chain} {\n${h.rules.map((r) => `    ${ruleStatement(r)}`).join("\n")}${h.rules.length > 0 ? "\n" : ""}    drop\n  }`);
  });
  return `table inet ${WORLD_TABLE}
delete table inet ${WORLD_TABLE}
table inet ${WORLD_TABLE} {
${chains.join("\n")}${chains.length > 0 ? "\n" : ""}  chain input {
    type filter hook input priority 0; policy accept;
    ct state established,related accept
    iif "lo" accept
    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept
${jumps.join("\n")}${jumps.length > 0 ? "\n" : ""}  }
}
`;
}

/** One Vultr accept rule as an nftables statement. Non-TCP/UDP protocols match by L4 protocol. */
export function ruleStatement(r: Rule): string {
  const family = r.ipType === "v4" ? "ip" : "ip6";
  const from = r.subnetSize === 0 ? "" : `${family} saddr ${r.subnet}/${r.subnetSize} `;
  const match = (() => {
    if (r.protocol === "tcp" || r.protocol === "udp") return `${r.protocol} dport ${r.port.replace(":", "-")}`;
    if (r.protocol === "icmp") return r.ipType === "v4" ? "meta l4proto icmp" : "meta l4proto ipv6-icmp";
    return `meta l4proto ${r.protocol}`;
  })();
  return `meta nfproto ${r.ipType === "v4" ? "ipv4" : "ipv6"} ${from}${match} accept`;
}
