import type { PgMigration } from "../migrate.ts";

/**
 * The fleet's tables (fleet/ports.ts). Frozen once released.
 * - probe_latest: each vantage's newest result per node, upserted with the raw probes; `seq`
 *   comes from a sequence on every change, so a leader reads only what changed since its cursor.
 * - vantages: one heartbeat row per watcher.
 * - leases: one row per lease; the row is never deleted (a release only lapses it), so each new
 *   holder's token is larger than every earlier one. `expires_at` is by the database's clock.
 */
export const migration0003: PgMigration = {
  version: 3,
  name: "fleet",
  sql: `
CREATE SEQUENCE probe_latest_seq AS bigint;

CREATE TABLE probe_latest (
  node_id text NOT NULL CHECK (node_id <> ''),
  vantage text NOT NULL CHECK (vantage <> ''),
  seq bigint NOT NULL UNIQUE,
  at bigint NOT NULL CHECK (at >= 0),
  ok boolean NOT NULL,
  latency_ms bigint CHECK (latency_ms >= 0),
  height bigint CHECK (height >= 0),
  protocol_version bigint CHECK (protocol_version >= 0),
  cause text,
  PRIMARY KEY (node_id, vantage)
);

CREATE TABLE vantages (
  name text PRIMARY KEY CHECK (name <> ''),
  region text NOT NULL,
  holder text NOT NULL,
  started_at bigint NOT NULL CHECK (started_at >= 0),
  seen_at bigint NOT NULL CHECK (seen_at >= 0),
  healthy boolean NOT NULL,
  detail text
);

CREATE TABLE leases (
  name text PRIMARY KEY CHECK (name <> ''),
  holder text NOT NULL CHECK (holder <> ''),
  token bigint NOT NULL CHECK (token > 0),
  expires_at bigint NOT NULL
);
`,
};
