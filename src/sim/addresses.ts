import ipaddr from "ipaddr.js";

/**
 * Unique, non-routable addresses for simulated instances. IPv4 comes from the three
 * documentation ranges (RFC 5737) and then from the benchmarking range 198.18.0.0/15
 * (RFC 2544); IPv6 /64 networks from the documentation range 2001:db8::/32 (RFC 3849).
 */

const DOC_V4 = ["192.0.2", "198.51.100", "203.0.113"] as const;
const HOSTS_PER_DOC_NET = 254;
const BENCH_HOSTS = 2 * 65536 - 2;

/** The i-th address (i ≥ 0); distinct for every i below 762 + 131,070. */
export function ipv4ForIndex(i: number): string {
  if (!Number.isInteger(i) || i < 0) throw new RangeError(`address index must be a non-negative integer, got ${i}`);
  if (i < DOC_V4.length * HOSTS_PER_DOC_NET) {
    const net = DOC_V4[Math.floor(i / HOSTS_PER_DOC_NET)];
    return `${net}.${(i % HOSTS_PER_DOC_NET) + 1}`;
  }
  const n = i - DOC_V4.length * HOSTS_PER_DOC_NET + 1;
  if (n > BENCH_HOSTS) throw new RangeError(`no more simulated IPv4 addresses (index ${i})`);
  return `198.${18 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

/** "192.0.2.1" for any address in 192.0.2.0/24: the gateway Vultr would report. */
export function gatewayFor(ipv4: string): string {
  const parts = ipv4.split(".");
  return `${parts.slice(0, 3).join(".")}.1`;
}

export interface Ipv6Assignment {
  v6_network: string;
  v6_main_ip: string;
  v6_network_size: number;
}

/** A /64 per index inside 2001:db8::/32, printed in RFC 5952 form as Vultr does. */
export function ipv6ForIndex(i: number): Ipv6Assignment {
  if (!Number.isInteger(i) || i < 0 || i >= 2 ** 32) throw new RangeError(`IPv6 index out of range: ${i}`);
  const hi = Math.floor(i / 65536).toString(16);
  const lo = (i % 65536).toString(16);
  const prefix = `2001:db8:${hi}:${lo}`;
  const rfc5952 = (text: string) => (ipaddr.parse(text) as ipaddr.IPv6).toRFC5952String();
  return {
    v6_network: rfc5952(`${prefix}::`),
    v6_main_ip: rfc5952(`${prefix}:5400:4ff:fe00:${lo}`),
    v6_network_size: 64,
  };
}
