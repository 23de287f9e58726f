/**
 * Unique addresses for simulated instances, all on loopback, so that nothing nodeward does to
 * the simulator's instances (scan, verify, watch) ever leaves this machine: IPv4 from 127.77.0.0
 * upwards, IPv6 as IPv4-mapped loopback addresses (::ffff:127.177.x.y). The simulated world (root,
 * network namespace) moves instances to lab addresses routed into its namespace instead.
 */

/** 50 × 65,536 addresses per family: 127.77–127.126 for IPv4, 127.177–127.226 mapped for IPv6. */
const MAX_INDEX = 50 * 65536 - 2;

/** The i-th address (i ≥ 0): 127.77.0.1, 127.77.0.2, … distinct for every i up to MAX_INDEX (3.2 million). */
export function ipv4ForIndex(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i > MAX_INDEX) throw new RangeError(`address index must be a non-negative integer up to ${MAX_INDEX}, got ${i}`);
  return loopback(77, i + 1);
}

function loopback(base: number, n: number): string {
  return `127.${base + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
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

/** An IPv4-mapped loopback address per index: reachable only on this machine. */
export function ipv6ForIndex(i: number): Ipv6Assignment {
  if (!Number.isInteger(i) || i < 0 || i > MAX_INDEX) throw new RangeError(`IPv6 index out of range: ${i}`);
  const v4 = loopback(177, i + 1);
  const net = v4.split(".").slice(0, 3).join(".");
  return { v6_network: `::ffff:${net}.0`, v6_main_ip: `::ffff:${v4}`, v6_network_size: 120 };
}
