import type { CoinPort } from "../coins/index.ts";

/**
 * Port lists for a scan: parsing the operator's spec, the built-in "top" list, and the order
 * probes go out in.
 */

/**
 * Common TCP ports: nmap's 100 most frequent (its `-F` list, from nmap-services) plus the ports
 * masternode hosts expose or leak — SmartCash P2P/RPC 9678/9679, Dash 9999/9998, Bitcoin
 * 8333/8332 — and the usual admin/database suspects (2222, 6379, 27017).
 */
export const TOP_TCP_PORTS: readonly number[] = [
  // masternode and admin suspects first: what a verifier most wants to learn early
  9678, 9679, 9998, 8333, 8332, 2222, 6379, 27017,
  // nmap's top 100, most frequent first
  80, 23, 443, 21, 22, 25, 3389, 110, 445, 139, 143, 53, 135, 3306, 8080, 1723, 111, 995, 993,
  5900, 1025, 587, 8888, 199, 1720, 465, 548, 113, 81, 6001, 10000, 514, 5060, 179, 1026, 2000,
  8443, 8000, 32768, 554, 26, 1433, 49152, 2001, 515, 8008, 49154, 1027, 5666, 646, 5000, 5631,
  631, 49153, 8081, 2049, 88, 79, 5800, 106, 2121, 1110, 49155, 6000, 513, 990, 5357, 427, 49156,
  543, 544, 5101, 144, 7, 389, 8009, 3128, 444, 9999, 5009, 7070, 5190, 3000, 5432, 1900, 3986,
  13, 1029, 9, 5051, 6646, 49157, 1028, 873, 1755, 2717, 4899, 9100, 119, 37,
];

export const MAX_PORT = 65535;

export type PortsResult = number[] | { error: string };

/**
 * "22,80,8000-8100", "all" (1–65535), "top" (TOP_TCP_PORTS), "coin" (the coin's TCP ports),
 * or any comma-separated mix. The result is deduplicated and ascending; a bad item is an error
 * that quotes it and says what would be valid.
 */
export function parsePorts(spec: string, coinPorts?: readonly number[]): PortsResult {
  const items = spec.split(",").map((s) => s.trim());
  if (items.every((s) => s === "")) return { error: `no ports given; write e.g. "22,80,8000-8100", "top", "coin" or "all"` };
  const set = new Set<number>();
  for (const item of items) {
    const added = addItem(set, item, coinPorts);
    if (added !== undefined) return { error: `"${item === "" ? spec : item}": ${added}` };
  }
  return [...set].sort((a, b) => a - b);
}

/** Adds one item's ports; returns what is wrong with it, or undefined. */
function addItem(set: Set<number>, item: string, coinPorts: readonly number[] | undefined): string | undefined {
  const word = item.toLowerCase();
  if (item === "") return `empty item in the port list; remove the extra comma`;
  if (word === "all") {
    for (let p = 1; p <= MAX_PORT; p += 1) set.add(p);
    return undefined;
  }
  if (word === "top") {
    for (const p of TOP_TCP_PORTS) set.add(p);
    return undefined;
  }
  if (word === "coin") {
    if (coinPorts === undefined || coinPorts.length === 0) return `"coin" needs a coin profile with TCP ports; name the ports instead, e.g. 9678,8080`;
    for (const p of coinPorts) {
      const bad = checkPort(p);
      if (bad !== undefined) return `the coin's port ${bad}`;
      set.add(p);
    }
    return undefined;
  }
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(item);
  if (range !== null) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    const bad = checkPort(from) ?? checkPort(to);
    if (bad !== undefined) return bad;
    if (from > to) return `range runs backwards; write ${to}-${from}`;
    for (let p = from; p <= to; p += 1) set.add(p);
    return undefined;
  }
  if (/^\d+$/.test(item)) {
    const port = Number(item);
    const bad = checkPort(port);
    if (bad !== undefined) return bad;
    set.add(port);
    return undefined;
  }
  if (/^\d+\s*:\s*\d+$/.test(item)) return `write a port range with a dash, e.g. ${item.replace(":", "-")}`;
  return `not a port, a range (8000-8100), "top", "coin" or "all"`;
}

function checkPort(port: number): string | undefined {
  if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) return `${port} is not a TCP port; ports are 1–${MAX_PORT}`;
  return undefined;
}

/** The TCP port numbers of a coin profile's ports, ranges expanded ("8000:8002" → 8000, 8001, 8002). */
export function tcpPortsOf(ports: readonly CoinPort[]): number[] {
  const out = new Set<number>();
  for (const p of ports) {
    if (p.protocol !== "tcp") continue;
    for (let n = p.port; n <= (p.portEnd ?? p.port); n += 1) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The order probes go out in: ports of the top list first (so the round trip is measured early,
 * from whichever common port answers — nmap also moves common ports to the front), then the
 * rest ascending. Every port appears exactly once.
 */
export function probeOrder(ports: readonly number[]): number[] {
  const wanted = new Set(ports);
  const first: number[] = [];
  for (const p of TOP_TCP_PORTS) {
    if (wanted.delete(p)) first.push(p);
  }
  return [...first, ...[...wanted].sort((a, b) => a - b)];
}
