import type { NetviewRecord } from "../netview/ports.ts";
import { readNetview, type NetviewReading } from "../netview/reading.ts";

/**
 * The network's view of each node for the dashboard's read model: the rows the watcher keeps
 * (stores.netview), read once per page view, each page's rows read through netview/reading.ts.
 * The table holds one small row per node with a collateral, so one read costs one query whatever
 * the page; a table that cannot be read is said on the page, never a failed page.
 */

export interface NetworkSource {
  /** Every node's latest row (NetviewStore.latestNetview). */
  latest: () => Promise<readonly NetviewRecord[]>;
  /** netview.intervalSeconds: a row older than 3 of them is stale. */
  intervalSeconds: number;
  /** The smartnodes alias of a collateral ("txid-index"), when the config names it. */
  aliasOf?: (outpoint: string) => string | undefined;
}

export interface NodeNetwork extends NetviewReading {
  alias: string | null;
}

export interface NetworkRows {
  /** The reading of a node, or null when there is no row for it. */
  of(nodeId: string): NodeNetwork | null;
  /** Why the rows could not be read (null: they were, or nothing asks the network). */
  problem: string | null;
}

const NONE: NetworkRows = { of: () => null, problem: null };

export async function networkRows(src: NetworkSource | undefined, now: number, expiredMinutes: number): Promise<NetworkRows> {
  if (src === undefined) return NONE;
  let rows: readonly NetviewRecord[];
  try {
    rows = await src.latest();
  } catch (e) {
    return { of: () => null, problem: `The network's view of the nodes cannot be read: ${(e as Error).message}` };
  }
  const byId = new Map(rows.map((r) => [r.nodeId, r]));
  const rules = { intervalSeconds: src.intervalSeconds, expiredMinutes };
  return {
    of(nodeId) {
      const r = byId.get(nodeId);
      return r === undefined ? null : { ...readNetview(r, now, rules), alias: src.aliasOf?.(r.outpoint) ?? null };
    },
    problem: null,
  };
}
