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
  // Each peer's host spelled once: with n nodes, n targets each walk the fleet's list, and
  // normalising an address inside that walk was n² parses (a million a round at 1,000 nodes:
  // half of a survey's CPU, bench:netview).
  const ours = distinct(configured);
  const oursKeys = new Set(ours.map((p) => p.key));
  const fleetPeers = distinct(fleet).filter((p) => !oursKeys.has(p.key));
  const k = Math.max(0, Math.floor(peersPerNode));
  const n = fleetPeers.length;
  return targets.map((target, i) => {
    const own = new Set(target.expected.ips.map(hostKey));
    const peers: PeerAddress[] = [];
    for (const p of ours) if (peers.length < k && !own.has(p.host)) peers.push(p.peer);
    // The fleet's list rotated by the target's index, walked until k peers are chosen.
    for (let j = 0, start = n === 0 ? 0 : i % n; j < n && peers.length < k; j++) {
      const p = fleetPeers[(start + j) % n]!;
      if (!own.has(p.host)) peers.push(p.peer);
    }
    return { target, peers };
  });
}

/** "host:port", IPv6 in brackets: how a peer is named in verdicts and grouped for its connection. */
export function peerKey(p: PeerAddress): string {
  return keyOf(hostKey(p.host), p.port);
}

function keyOf(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** One spelling per address: no brackets, lower case, IPv4-mapped IPv6 as IPv4, IPv6 compressed. */
export function hostKey(host: string): string {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isIP(bare) === 0) return bare.toLowerCase();
  return ipaddr.process(bare).toString();
}

interface KeyedPeer {
  peer: PeerAddress;
  /** hostKey(peer.host) */
  host: string;
  /** peerKey(peer) */
  key: string;
}

/** The peers in order, each once (by peerKey), with their keys. */
function distinct(peers: readonly PeerAddress[]): KeyedPeer[] {
  const seen = new Set<string>();
  const out: KeyedPeer[] = [];
  for (const peer of peers) {
    const host = hostKey(peer.host);
    const key = keyOf(host, peer.port);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ peer, host, key });
  }
  return out;
}
