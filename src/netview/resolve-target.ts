/**
 * What `nodeward netview OUTPOINT|NODE` names, as a NetviewTarget. Pure: the caller passes the
 * config's smartnodes entries and the watched nodes it knows (static hosts, and the provider's
 * instances when it could list them).
 *
 * An outpoint is taken as given (its entry, when the config has one, adds the alias and where the
 * node should be). A name is a smartnodes alias, else a watched node whose address is the IP of
 * exactly one smartnodes entry.
 */
import { hostKey } from "./choose-peers.ts";
import { parseService, type SmartnodeEntry } from "./config.ts";
import { outpointKey, parseOutpoint } from "./outpoint.ts";
import type { NetviewTarget } from "./ports.ts";

export interface KnownNode {
  name: string;
  id?: string;
  addresses: readonly string[];
}

export type Resolved =
  | { kind: "target"; target: NetviewTarget }
  | { kind: "problem"; message: string; hint?: string }
  /** No alias or node by that name among those given (the provider's instances may still hold it). */
  | { kind: "unknown" };

const LOOKS_LIKE_OUTPOINT = /^\s*[0-9a-fA-F]{64}\s*[-: ]\s*\d+\s*$/;

export function resolveTarget(text: string, smartnodes: readonly SmartnodeEntry[], nodes: readonly KnownNode[], defaultPort: number): Resolved {
  if (LOOKS_LIKE_OUTPOINT.test(text)) {
    const parsed = parseOutpoint(text);
    if (!parsed.ok) return { kind: "problem", message: parsed.message };
    const key = outpointKey(parsed.outpoint);
    const entry = smartnodes.find((e) => outpointKey({ txid: e.txid, index: e.index }) === key);
    if (entry !== undefined) return { kind: "target", target: targetOf(entry, nodes) };
    return { kind: "target", target: { nodeId: key, alias: "", outpoint: parsed.outpoint, expected: { ips: [], port: defaultPort } } };
  }
  const entry = smartnodes.find((e) => e.alias === text);
  if (entry !== undefined) return { kind: "target", target: targetOf(entry, nodes) };
  const node = nodes.find((n) => n.name === text || n.id === text);
  if (node === undefined) return { kind: "unknown" };
  const own = new Set(node.addresses.map(hostKey));
  const matching = smartnodes.filter((e) => {
    const s = parseService(e.address);
    return s.ok && own.has(hostKey(s.ip));
  });
  if (matching.length === 1) return { kind: "target", target: targetOf(matching[0]!, [node]) };
  if (matching.length === 0) {
    return { kind: "problem", message: `${JSON.stringify(node.name)} (${node.addresses.join(", ")}) has no entry in smartnodes`, hint: "add its collateral to smartnodes: (nodeward import smartnode.conf FILE), or give the outpoint: nodeward netview TXID-INDEX" };
  }
  return { kind: "problem", message: `${JSON.stringify(node.name)} has several smartnodes entries (${matching.map((e) => e.alias).join(", ")})`, hint: "name one by its alias" };
}

/** The entry's node: its nodeId and addresses come from the watched node with the entry's IP, when there is one. */
function targetOf(entry: SmartnodeEntry, nodes: readonly KnownNode[]): NetviewTarget {
  const s = parseService(entry.address);
  const ip = s.ok ? s.ip : "";
  const node = nodes.find((n) => n.addresses.some((a) => hostKey(a) === hostKey(ip)));
  const ips = [...new Set([ip, ...(node?.addresses ?? [])].filter((a) => a !== "").map(hostKey))];
  return {
    nodeId: node?.id ?? node?.name ?? entry.alias,
    alias: entry.alias,
    outpoint: { txid: entry.txid, index: entry.index },
    expected: { ips, port: s.ok ? s.port : 0 },
  };
}
