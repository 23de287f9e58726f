/**
 * Which peers are asked about which node. Pure and deterministic: the same fleet gives the same
 * choice every period, so a verdict that changes is the network changing, not the sample.
 *
 * Configured peers (netview.peers) come first, in the operator's order: they are chosen as
 * independent witnesses. Then the fleet's own nodes, the list rotated by the target's index so that
 * a fleet of n nodes spreads its questions over all of them instead of piling them on the first k.
 * A node is never asked about itself (its answer would prove nothing the handshake has not).
 */
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import type { NetviewTarget, PeerAddress } from "./ports.ts";

export interface PeerChoice {
  target: NetviewTarget;
  peers: PeerAddress[];
}

export function choosePeers(
  targets: readonly NetviewTarget[],
  configured: readonly PeerAddress[],
  fleet: readonly PeerAddress[],
  peersPerNode: number,
): PeerChoice[] {
  const ours = distinct(configured);
  const fleetPeers = distinct(fleet).filter((p) => !ours.some((c) => peerKey(c) === peerKey(p)));
  const k = Math.max(0, Math.floor(peersPerNode));
  return targets.map((target, i) => {
    const own = new Set(target.expected.ips.map(hostKey));
    const allowed = (p: PeerAddress) => !own.has(hostKey(p.host));
    const start = fleetPeers.length === 0 ? 0 : i % fleetPeers.length;
    const rotated = [...fleetPeers.slice(start), ...fleetPeers.slice(0, start)];
    return { target, peers: [...ours.filter(allowed), ...rotated.filter(allowed)].slice(0, k) };
  });
}

/** "host:port", IPv6 in brackets: how a peer is named in verdicts and grouped for its connection. */
export function peerKey(p: PeerAddress): string {
  const host = hostKey(p.host);
  return host.includes(":") ? `[${host}]:${p.port}` : `${host}:${p.port}`;
}

/** One spelling per address: no brackets, lower case, IPv4-mapped IPv6 as IPv4, IPv6 compressed. */
export function hostKey(host: string): string {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isIP(bare) === 0) return bare.toLowerCase();
  return ipaddr.process(bare).toString();
}

function distinct(peers: readonly PeerAddress[]): PeerAddress[] {
  const seen = new Set<string>();
  return peers.filter((p) => {
    const key = peerKey(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
