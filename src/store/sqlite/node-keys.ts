import type Database from "better-sqlite3";

/**
 * Node ids (provider UUIDs, 36 bytes) are stored once, in node_keys; probe tables hold the small
 * integer key instead, which is most of what keeps a year of history per node small. Keys are
 * cached after they are committed (a rolled-back insert never reaches the cache) and never deleted.
 */
export interface NodeKeys {
  /** The committed key of a node, or undefined when it has never been probed. */
  find(nodeId: string): number | undefined;
  /** Inside a write transaction: the key, inserted when new. Pass the result to `remember` after commit. */
  ensure(nodeId: string): number;
  remember(resolved: ReadonlyMap<string, number>): void;
  /** Every key, for per-node range scans. */
  all(): number[];
}

export function nodeKeys(db: Database.Database): NodeKeys {
  const cache = new Map<string, number>();
  const select = db.prepare<[string], number>("SELECT key FROM node_keys WHERE node_id = ?").pluck();
  const insert = db.prepare<[string], number>("INSERT INTO node_keys (node_id) VALUES (?) RETURNING key").pluck();
  const list = db.prepare<[], number>("SELECT key FROM node_keys ORDER BY key").pluck();

  return {
    find(nodeId) {
      const cached = cache.get(nodeId);
      if (cached !== undefined) return cached;
      const key = select.get(nodeId);
      if (key !== undefined) cache.set(nodeId, key);
      return key;
    },
    ensure(nodeId) {
      return cache.get(nodeId) ?? select.get(nodeId) ?? (insert.get(nodeId) as number);
    },
    remember(resolved) {
      for (const [id, key] of resolved) cache.set(id, key);
    },
    all() {
      return list.all();
    },
  };
}
