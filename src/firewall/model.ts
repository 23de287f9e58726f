/**
 * The firewall's vocabulary, provider-neutral. Rules here are always canonical (see rule.ts):
 * lower-case protocol, port "" for anything but TCP/UDP, subnets as parsed-and-printed network
 * addresses (RFC 5952 for IPv6), `subnetSize` always present.
 */

export type IpType = "v4" | "v6";
export const PROTOCOLS = ["tcp", "udp", "icmp", "gre", "esp", "ah"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface Rule {
  ipType: IpType;
  protocol: Protocol;
  /** "" for non-TCP/UDP; "9678" or a range "8000:8080". */
  port: string;
  /** Network address, canonical: "0.0.0.0", "::", "2001:db8::". */
  subnet: string;
  /** CIDR prefix length; 0 = anywhere. */
  subnetSize: number;
  /** "" (use subnet), "cloudflare", or a load-balancer id. */
  source: string;
  /** Free text; not part of a rule's identity. */
  notes: string;
}

/** A rule as it exists at the provider. */
export interface RemoteRule extends Rule {
  id: number;
}

export interface Instance {
  id: string;
  label: string;
  hostname: string;
  tags: readonly string[];
  region: string;
  /** IPv4 main address; "" when none. */
  mainIp: string;
  /** IPv6 main address; "" when the instance has no IPv6. */
  v6MainIp: string;
  /** "" when the instance is attached to no group. */
  firewallGroupId: string;
  status: string;
  powerStatus: string;
  serverStatus: string;
}

export interface GroupSummary {
  id: string;
  description: string;
}

export function hasIpv6(instance: Pick<Instance, "v6MainIp">): boolean {
  return instance.v6MainIp !== "";
}
