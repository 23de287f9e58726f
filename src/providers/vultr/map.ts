import ipaddr from "ipaddr.js";
import type { GroupSummary, Instance, RemoteRule, Rule } from "../../firewall/model.ts";
import { canonicalRule } from "../../firewall/rule.ts";
import type { CreateRuleBody, GroupFields, InstanceFields, RuleFields } from "./wire.ts";

/** Vultr wire records ↔ nodeward's provider-neutral model. Pure. */

export function toGroup(w: GroupFields): GroupSummary {
  return { id: w.id, description: w.description };
}

/** IPv6 in RFC 5952 form when it parses ("2001:0db8::0001" → "2001:db8::1"); otherwise as given. */
function canonicalV6(address: string): string {
  if (address === "" || !ipaddr.IPv6.isValid(address)) return address;
  return ipaddr.IPv6.parse(address).toRFC5952String();
}

export function toInstance(w: InstanceFields): Instance {
  return {
    id: w.id,
    label: w.label,
    hostname: w.hostname,
    tags: [...w.tags],
    region: w.region,
    mainIp: w.main_ip,
    v6MainIp: canonicalV6(w.v6_main_ip),
    firewallGroupId: w.firewall_group_id,
    status: w.status,
    powerStatus: w.power_status,
    serverStatus: w.server_status,
  };
}

/**
 * A rule as Vultr returns it, canonical. A Cloudflare or load-balancer rule may come without a
 * subnet (UNCONFIRMED what Vultr sends): it is read as "anywhere" of its family, size 0, since
 * the source, not the subnet, decides what it admits.
 */
export function toRemoteRule(w: RuleFields): { ok: true; rule: RemoteRule } | { ok: false; reason: string } {
  const family = w.ip_type.trim().toLowerCase();
  const sourceOnly = w.source.trim() !== "" && w.subnet.trim() === "";
  const subnet = sourceOnly ? (family === "v6" ? "::" : "0.0.0.0") : w.subnet;
  const c = canonicalRule({
    ipType: w.ip_type,
    protocol: w.protocol,
    port: w.port,
    subnet,
    subnetSize: sourceOnly ? 0 : w.subnet_size,
    source: w.source,
    notes: w.notes,
  });
  return c.ok ? { ok: true, rule: { ...c.rule, id: w.id } } : c;
}

/**
 * The create body for a canonical rule: lower-case protocol, `subnet_size` always (0 is a value:
 * vultr-php#9), `port` only for TCP/UDP (ansible-collection-vultr#76), `source` only when set.
 */
export function toCreateRuleBody(rule: Rule): CreateRuleBody {
  const protocol = rule.protocol.toLowerCase();
  const body: CreateRuleBody = {
    ip_type: rule.ipType,
    protocol,
    subnet: rule.subnet,
    subnet_size: rule.subnetSize,
    notes: rule.notes,
  };
  if ((protocol === "tcp" || protocol === "udp") && rule.port !== "") body.port = rule.port;
  if (rule.source !== "") body.source = rule.source;
  return body;
}
