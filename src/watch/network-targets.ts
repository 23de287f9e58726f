import type { SmartnodeEntry } from "../netview/config.ts";
import { parseService } from "../netview/config.ts";
import { outpointKey } from "../netview/outpoint.ts";
import type { NetviewTarget, PeerAddress } from "../netview/ports.ts";
import { ipFromBytes, ipToBytes } from "../p2p/netaddr.ts";
import type { WatchedNode } from "./engine.ts";

/**
 * Whom the watcher asks the network about, and whom it asks: the watched nodes that have a
 * collateral in `smartnodes` (matched by IP), and the watched nodes that answer the handshake
 * (SmartCash peers of our own, which can answer a dseg about the others). Pure.
 */

/** A dotted quad as the codec prints it (no leading zeros): most addresses, taken without a round trip. */
const CANONICAL_V4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** An address as the codec prints an announced one ("203.0.113.5", RFC 5952 IPv6), or null when it is none. */
export function canonicalIp(text: string): string | null {
  if (CANONICAL_V4.test(text)) return text;
  try {
    return ipFromBytes(ipToBytes(text.trim()));
  } catch {
    return null;
  }
}

export interface MatchedTargets {
  targets: NetviewTarget[];
  /** smartnodes entries whose IP no watched node has (yet): said in the log, not an error. */
  unmatched: SmartnodeEntry[];
  /** Entries that name an IP an earlier entry already took, or a collateral already taken: left out. */
  duplicates: SmartnodeEntry[];
}

/** The watched nodes with a collateral, each with the address and port the network should have for it. */
export function matchTargets(nodes: readonly WatchedNode[], smartnodes: readonly SmartnodeEntry[], p2pPort: number): MatchedTargets {
  const byIp = new Map<string, WatchedNode>();
  for (const n of nodes) {
    const ip = canonicalIp(n.address);
    if (ip !== null && !byIp.has(ip)) byIp.set(ip, n);
  }
  const out: MatchedTargets = { targets: [], unmatched: [], duplicates: [] };
  const takenIps = new Set<string>();
  const takenOutpoints = new Set<string>();
  for (const entry of smartnodes) {
    const service = parseService(entry.address);
    const ip = service.ok ? canonicalIp(service.ip) : null;
    const outpoint = { txid: entry.txid, index: entry.index };
    if (ip !== null && (takenIps.has(ip) || takenOutpoints.has(outpointKey(outpoint)))) {
      out.duplicates.push(entry);
      continue;
    }
    const node = ip === null ? undefined : byIp.get(ip);
    if (node === undefined || ip === null) {
      out.unmatched.push(entry);
      continue;
    }
    takenIps.add(ip);
    takenOutpoints.add(outpointKey(outpoint));
    out.targets.push({ nodeId: node.nodeId, alias: entry.alias, outpoint, expected: { ips: [ip], port: p2pPort } });
  }
  return out;
}

/** The watched nodes that answer the handshake now, as peers to ask (the survey never asks a node about itself). */
export function fleetPeers(nodes: readonly WatchedNode[], answers: (nodeId: string) => boolean, p2pPort: number): PeerAddress[] {
  return nodes.filter((n) => answers(n.nodeId)).map((n) => ({ host: n.address, port: p2pPort }));
}

/** "host:port" or "[v6]:port" (netview.peers, checked by the config schema) as a PeerAddress; null when not. */
export function parsePeer(text: string): PeerAddress | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim());
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  return host === undefined || !(port >= 1 && port <= 65535) ? null : { host, port };
}
