/**
 * smartnode.conf entries against the fleet and against the `smartnodes:` already in nodeward.yaml.
 * Pure. An entry belongs to the node that has its IP (the address the SmartNode announces), so
 * matching is by IP alone, whatever the port; merging is by alias, as the wallet names them.
 */
import { parseService, type SmartnodeEntry } from "./config.ts";
import { outpointKey } from "./outpoint.ts";
import { matchKey } from "./smartnode-conf.ts";

/** A watched node: a provider instance selected by `nodes:` or a static host. */
export interface FleetNode {
  name: string;
  source: "provider" | "static";
  /** The instance id; absent for static hosts. */
  id?: string;
  addresses: readonly string[];
}

export interface EntryMatch<E> {
  entry: E;
  /** The node with the entry's IP; undefined when none has it. */
  node: FleetNode | undefined;
}

/** Which node each entry names, and the nodes no entry names. */
export function matchFleet<E extends { address: string }>(entries: readonly E[], nodes: readonly FleetNode[]): { matches: EntryMatch<E>[]; withoutEntry: FleetNode[] } {
  const byIp = new Map<string, FleetNode>();
  for (const n of nodes) for (const a of n.addresses) if (!byIp.has(matchKey(a))) byIp.set(matchKey(a), n);
  const matches = entries.map((entry) => ({ entry, node: byIp.get(ipKeyOf(entry.address)) }));
  const named = new Set(matches.map((m) => m.node));
  return { matches, withoutEntry: nodes.filter((n) => !named.has(n)) };
}

export interface Merge {
  /** The list nodeward.yaml gets: its entries in their order, replaced in place, then the new ones. */
  entries: SmartnodeEntry[];
  added: string[];
  replaced: string[];
  kept: string[];
  /** Kept entries that would collide with an imported one (same IP or collateral): nothing may be written. */
  conflicts: string[];
}

/** The config's entries with the imported ones replacing those of the same alias; the others are kept. */
export function mergeSmartnodes(existing: readonly SmartnodeEntry[], imported: readonly SmartnodeEntry[]): Merge {
  const incoming = new Map(imported.map((e) => [e.alias, e]));
  const entries = existing.map((e) => incoming.get(e.alias) ?? e);
  const present = new Set(existing.map((e) => e.alias));
  const kept = existing.filter((e) => !incoming.has(e.alias));
  const conflicts = kept.flatMap((k) => {
    const i = existing.indexOf(k);
    return imported.flatMap((e) => {
      if (ipKeyOf(e.address) === ipKeyOf(k.address)) return [`smartnodes[${i}] (${k.alias}) has the IP of ${e.alias} (${e.address})`];
      if (outpointKey(e) === outpointKey(k)) return [`smartnodes[${i}] (${k.alias}) has the collateral of ${e.alias}`];
      return [];
    });
  });
  return {
    entries: [...entries, ...imported.filter((e) => !present.has(e.alias))],
    added: imported.filter((e) => !present.has(e.alias)).map((e) => e.alias),
    replaced: imported.filter((e) => present.has(e.alias)).map((e) => e.alias),
    kept: kept.map((e) => e.alias),
    conflicts,
  };
}

/** The matching key of an "IP:port" address; the text itself when it is not one (the schema reports those). */
export function ipKeyOf(address: string): string {
  const s = parseService(address);
  return s.ok ? matchKey(s.ip) : address;
}
