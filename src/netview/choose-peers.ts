/**
 * Which peers are asked about which nodes. Pure and deterministic: the same fleet gives the same
 * choice every period, so a verdict that changes is the network changing, not the sample.
 *
 * The targets are cut into blocks (in the order given, at most MAX_BLOCK each, even), and
 * each block is asked of k peers outside it, one connection per (block, peer). Asking each target
 * of its own k peers made a connection per (target, peer) — 1,000 of them a round at 1,000 nodes,
 * each a TCP connect, a handshake and a 400 ms settle for ~3 questions; the connections were the
 * survey's cost (bench:netview). A block asks the same ~k × blocks connections whatever its size.
 *
 * Configured peers (netview.peers) come first, in the operator's order: they are chosen as
 * independent witnesses. Then the fleet's own nodes, the list walked from a start spaced evenly
 * over it by the block's index, so that the blocks' questions spread over the fleet instead of
 * piling on its first k. A peer is never one of its block's targets, so a node is never asked
 * about itself (its answer would prove nothing the handshake has not). A block is small enough to
 * leave k candidates outside it (blocksOf), so a small fleet asking about all of its own nodes
 * still gets k answers for each.
 */
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import type { NetviewTarget, PeerAddress } from "./ports.ts";

/**
 * Targets per block. 250 outpoints are 250 dseg frames (9 KB) and some 120 KB of answers on one
 * connection, well within MAX_OUTPOINTS_PER_CONNECTION; a peer that fails then costs each of 250
 * verdicts one of its k answers, which the median rule absorbs.
 */
export const MAX_BLOCK = 250;

export interface PeerChoice {
  /** The block's targets, in the order given. */
  targets: NetviewTarget[];
  /** Up to k distinct peers, none of them at an address of the block's targets. */
  peers: PeerAddress[];
}

export function choosePeers(
  targets: readonly NetviewTarget[],
  configured: readonly PeerAddress[],
  fleet: readonly PeerAddress[],
  peersPerNode: number,
  maxBlock = MAX_BLOCK,
): PeerChoice[] {
  // Each peer's host spelled once: normalising an address is an ipaddr.js parse, and the walk
  // below may look at the same peer for several blocks.
  const ours = distinct(configured);
  const oursKeys = new Set(ours.map((p) => p.key));
  const fleetPeers = distinct(fleet).filter((p) => !oursKeys.has(p.key));
  const k = Math.max(0, Math.floor(peersPerNode));
  const n = fleetPeers.length;
  const blocks = blocksOf(targets, [...ours, ...fleetPeers], k, maxBlock);
  return blocks.map((block, b) => {
    const peers: PeerAddress[] = [];
    for (const p of ours) if (peers.length < k && !block.own.has(p.host)) peers.push(p.peer);
    // The fleet's list from an evenly spaced start, walked until k peers are chosen.
    const start = Math.floor((b * n) / blocks.length);
    for (let j = 0; j < n && peers.length < k; j++) {
      const p = fleetPeers[(start + j) % n]!;
      if (!block.own.has(p.host)) peers.push(p.peer);
    }
    return { targets: block.targets, peers };
  });
}

interface Block {
  targets: NetviewTarget[];
  /** hostKey of every address of the block's targets. */
  own: Set<string>;
}

/**
 * The targets in order, cut into blocks of at most maxBlock (as even as that allows), each
 * leaving at least k candidates outside it: a target that is itself a candidate peer joins a
 * block only while that holds, so a small fleet asking about its own nodes gets small blocks.
 */
function blocksOf(targets: readonly NetviewTarget[], candidates: readonly KeyedPeer[], k: number, maxBlock: number): Block[] {
  if (targets.length === 0) return [];
  const perHost = new Map<string, number>();
  for (const c of candidates) perHost.set(c.host, (perHost.get(c.host) ?? 0) + 1);
  /** Candidates a block's targets may be, leaving k outside. */
  const room = Math.max(0, candidates.length - k);
  const cap = Math.ceil(targets.length / Math.ceil(targets.length / Math.max(1, Math.floor(maxBlock))));
  const out: Block[] = [];
  let block: Block = { targets: [], own: new Set() };
  let taken = 0;
  for (const t of targets) {
    const hosts = new Set(t.expected.ips.map(hostKey));
    let adds = 0;
    for (const h of hosts) if (!block.own.has(h)) adds += perHost.get(h) ?? 0;
    if (block.targets.length > 0 && (block.targets.length >= cap || taken + adds > room)) {
      out.push(block);
      block = { targets: [], own: new Set() };
      adds = 0;
      for (const h of hosts) adds += perHost.get(h) ?? 0;
      taken = 0;
    }
    block.targets.push(t);
    for (const h of hosts) block.own.add(h);
    taken += adds;
  }
  if (block.targets.length > 0) out.push(block);
  return out;
}

/** "host:port", IPv6 in brackets: how a peer is named in verdicts and grouped for its connection. */
export function peerKey(p: PeerAddress): string {
  return keyOf(hostKey(p.host), p.port);
}

function keyOf(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A dotted quad already in its one spelling (no leading zeros): most addresses, taken without a parse. */
const CANONICAL_V4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** One spelling per address: no brackets, lower case, IPv4-mapped IPv6 as IPv4, IPv6 compressed. */
export function hostKey(host: string): string {
  if (CANONICAL_V4.test(host)) return host;
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
