import type { Migration } from "../migrate.ts";

/**
 * The fleet's tables (fleet/ports.ts), so a single watcher on SQLite runs the same code as a
 * fleet on PostgreSQL: one vantage ("local"), one leader. Frozen once released.
 *
 * probe_latest holds each (node, vantage)'s newest result; its rowid is the change feed's seq.
 * AUTOINCREMENT, because a plain rowid may be given out again after the row with the largest one
 * is deleted (forgetLatest), and a reader whose cursor is past it would then miss a change. A
 * change replaces the row (INSERT OR REPLACE), which gives it the next seq. Filled from the
 * newest raw probe of every node already stored, so an upgraded watcher's feed starts complete.
 *
 * leases keeps a released or lapsed row: the next holder's token follows it.
 */
export const migration0005: Migration = {
  version: 5,
  name: "fleet",
  sql: `
CREATE TABLE probe_latest (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  node_key INTEGER NOT NULL REFERENCES node_keys (key),
  vantage TEXT NOT NULL CHECK (vantage <> ''),
  at INTEGER NOT NULL CHECK (at >= 0),
  ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
  cause TEXT,
  latency_ms INTEGER CHECK (latency_ms >= 0),
  height INTEGER CHECK (height >= 0),
  protocol_version INTEGER CHECK (protocol_version >= 0),
  UNIQUE (node_key, vantage)
) STRICT;

INSERT INTO probe_latest (node_key, vantage, at, ok, cause, latency_ms, height, protocol_version)
SELECT p.node_key, 'local', p.at, p.ok, p.cause, p.latency_ms, p.height, p.protocol_version
FROM node_keys k JOIN probes p ON p.node_key = k.key
  AND p.at = (SELECT max(q.at) FROM probes q WHERE q.node_key = k.key)
ORDER BY k.key;

CREATE TABLE vantages (
  name TEXT PRIMARY KEY CHECK (name <> ''),
  region TEXT NOT NULL,
  holder TEXT NOT NULL,
  started_at INTEGER NOT NULL CHECK (started_at >= 0),
  seen_at INTEGER NOT NULL CHECK (seen_at >= 0),
  healthy INTEGER NOT NULL CHECK (healthy IN (0, 1)),
  detail TEXT
) STRICT;

CREATE TABLE leases (
  name TEXT PRIMARY KEY CHECK (name <> ''),
  holder TEXT NOT NULL CHECK (holder <> ''),
  token INTEGER NOT NULL CHECK (token >= 1),
  expires_at INTEGER NOT NULL
) STRICT;
`,
};
