import { InternalError } from "../core/errors.ts";
import type { IpType, Rule } from "./model.ts";
import { canonicalRule, ruleKey } from "./rule.ts";

/** What the operator asked for, already resolved from config and coin profile. */
export interface PolicyInput {
  description: string;
  /** The coin's ports (plus extra ports): accepted from anywhere. */
  ports: readonly { protocol: "tcp" | "udp"; port: number | string; purpose: string }[];
  /** Optional admin entries (e.g. SSH from one office address). */
  adminAccess: readonly { cidr: string; port: number | string; protocol: "tcp" | "udp"; note?: string }[];
  icmp: boolean;
}

export interface DesiredRule {
  rule: Rule;
  /** "required": a coin port every node needs (invariant 1); "admin"/"icmp": optional extras. */
  role: "required" | "admin" | "icmp";
  purpose: string;
}

export interface DesiredPolicy {
  description: string;
  rules: readonly DesiredRule[];
  /** IPv6 rules for the coin's ports are included (some instance on the group has IPv6). */
  ipv6: boolean;
}

const ANY: Record<IpType, string> = { v4: "0.0.0.0", v6: "::" };

/**
 * The desired rule set: the coin's ports from anywhere for IPv4, and for IPv6 exactly when an
 * instance on the group has IPv6; admin entries as given; ICMP when asked. Pure; deduplicated by
 * rule identity (an admin entry equal to a coin port adds nothing).
 */
export function desiredPolicy(input: PolicyInput, ipv6: boolean): DesiredPolicy {
  const families: IpType[] = ipv6 ? ["v4", "v6"] : ["v4"];
  const out = new Map<string, DesiredRule>();
  const add = (raw: Parameters<typeof canonicalRule>[0], role: DesiredRule["role"], purpose: string) => {
    const c = canonicalRule(raw);
    if (!c.ok) throw new InternalError(`policy produced an invalid rule (${c.reason}); config validation should have caught it`);
    const key = ruleKey(c.rule);
    const prev = out.get(key);
    if (prev === undefined || (prev.role !== "required" && role === "required")) out.set(key, { rule: c.rule, role, purpose });
  };
  for (const ipType of families) {
    for (const p of input.ports) {
      add({ ipType, protocol: p.protocol, port: p.port, subnet: ANY[ipType], subnetSize: 0, notes: `nodeward: ${p.purpose}` }, "required", p.purpose);
    }
  }
  for (const a of input.adminAccess) {
    const [subnet = "", size = ""] = a.cidr.split("/");
    const note = a.note ? `nodeward: admin ${a.note}` : "nodeward: admin";
    add({ protocol: a.protocol, port: a.port, subnet, subnetSize: Number(size === "" ? (subnet.includes(":") ? 128 : 32) : size), notes: note }, "admin", a.note ? `admin (${a.note})` : "admin");
  }
  if (input.icmp) {
    for (const ipType of families) add({ ipType, protocol: "icmp", subnet: ANY[ipType], subnetSize: 0, notes: "nodeward: icmp" }, "icmp", "ICMP");
  }
  return { description: input.description, rules: [...out.values()], ipv6 };
}
