import type { Migration } from "../migrate.ts";

/**
 * The network's view of each SmartNode (netview/ports.ts NetviewRecord): one row per node,
 * replaced by each network query, so `status`, the dashboard and a restarted watcher see the last
 * verdict. Keyed by the node id as text, as node_states is: one small row per node gains nothing
 * from node_keys, whose keys are never deleted. `detail` is the verdict as JSON, kept as given.
 * The CHECKs mirror store/netview-record.ts. Frozen once released.
 */
export const migration0006: Migration = {
  version: 6,
  name: "netview",
  sql: `
CREATE TABLE netview (
  node_id TEXT PRIMARY KEY CHECK (node_id <> ''),
  outpoint TEXT NOT NULL CHECK (outpoint <> ''),
  state TEXT NOT NULL CHECK (state IN ('PRE_ENABLED', 'ENABLED', 'EXPIRED', 'NEW_START_REQUIRED', 'UPDATE_REQUIRED', 'UNLISTED', 'UNKNOWN')),
  last_ping_at INTEGER CHECK (last_ping_at >= 0),
  minutes_to_expired INTEGER CHECK (minutes_to_expired >= 0),
  asked_at INTEGER NOT NULL CHECK (asked_at >= 0),
  condition TEXT NOT NULL CHECK (condition IN ('ok', 'expired', 'new-start', 'unseen', 'unknown')),
  condition_since INTEGER NOT NULL CHECK (condition_since >= 0),
  detail TEXT NOT NULL
) STRICT;
`,
};
