import type { PgMigration } from "../migrate.ts";

/**
 * The network's view of each SmartNode, as SQLite's 0006: one row per node, replaced by each
 * network query. Keyed by the node id as text, as node_states and probe_latest are (node_keys
 * serves the history tables, whose keys are never deleted; one row per node gains nothing from
 * it). The CHECKs mirror store/netview-record.ts. Frozen once released.
 */
export const migration0004: PgMigration = {
  version: 4,
  name: "netview",
  sql: `
CREATE TABLE netview (
  node_id text PRIMARY KEY CHECK (node_id <> ''),
  outpoint text NOT NULL CHECK (outpoint <> ''),
  state text NOT NULL CHECK (state IN ('PRE_ENABLED', 'ENABLED', 'EXPIRED', 'NEW_START_REQUIRED', 'UPDATE_REQUIRED', 'UNLISTED', 'UNKNOWN')),
  last_ping_at bigint CHECK (last_ping_at >= 0),
  minutes_to_expired bigint CHECK (minutes_to_expired >= 0),
  asked_at bigint NOT NULL CHECK (asked_at >= 0),
  condition text NOT NULL CHECK (condition IN ('ok', 'expired', 'new-start', 'unseen', 'unknown')),
  condition_since bigint NOT NULL CHECK (condition_since >= 0),
  detail text NOT NULL
);
`,
};
