import type { PgMigration } from "../migrate.ts";

/**
 * The watch schema in PostgreSQL: the same tables as SQLite's migrations 0001, 0003 and 0004
 * (probes with hourly rollups, incidents with timelines, node states, the outbox with its
 * attempts, the fleet snapshot). Frozen: a later change is a new numbered migration.
 *
 * Times are BIGINT ms since the epoch, as everywhere in nodeward. Raw probes are keyed
 * (node, time, vantage): several watchers probe the same node, and one vantage's result never
 * replaces another's. Node ids and vantage names are stored once (node_keys, vantage_keys) and
 * referenced by small integers, which is most of what keeps a year of history small. Those keys
 * are never deleted, so probes carry no foreign keys (a check per row on the hottest insert).
 * BRIN indexes on time serve compaction's "everything older than" at almost no write cost (rows
 * arrive in time order). CHECKs hold the enumerations, as in SQLite.
 */
export const migration0001: PgMigration = {
  version: 1,
  name: "initial",
  sql: `
CREATE TABLE node_keys (
  key integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  node_id text NOT NULL UNIQUE CHECK (node_id <> '')
);

CREATE TABLE vantage_keys (
  key smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name <> '')
);

CREATE TABLE probes (
  at bigint NOT NULL CHECK (at >= 0),
  node_key integer NOT NULL,
  vantage_key smallint NOT NULL,
  ok boolean NOT NULL,
  latency_ms bigint CHECK (latency_ms >= 0),
  height bigint CHECK (height >= 0),
  protocol_version bigint CHECK (protocol_version >= 0),
  cause text,
  PRIMARY KEY (node_key, at, vantage_key)
);
CREATE INDEX probes_by_time ON probes USING brin (at);

CREATE TABLE probe_hours (
  node_key integer NOT NULL,
  hour bigint NOT NULL CHECK (hour >= 0 AND hour % 3600000 = 0),
  up bigint NOT NULL CHECK (up >= 0),
  total bigint NOT NULL CHECK (total >= up),
  latency_sum bigint NOT NULL CHECK (latency_sum >= 0),
  latency_count bigint NOT NULL CHECK (latency_count >= 0 AND latency_count <= total),
  PRIMARY KEY (node_key, hour)
);
CREATE INDEX probe_hours_by_time ON probe_hours USING brin (hour);

CREATE TABLE incidents (
  id text PRIMARY KEY CHECK (id <> ''),
  node_id text NOT NULL,
  started_at bigint NOT NULL,
  last_good_at bigint,
  ended_at bigint,
  cause text NOT NULL
);
CREATE INDEX incidents_by_node ON incidents (node_id, started_at);
CREATE INDEX incidents_by_start ON incidents (started_at);
CREATE INDEX incidents_open ON incidents (started_at) WHERE ended_at IS NULL;

CREATE TABLE incident_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id text NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('down', 'escalation', 'recovered', 'remediation', 'remediation-skipped', 'alert-sent', 'alert-failed', 'degraded')),
  detail text NOT NULL
);
CREATE INDEX incident_events_timeline ON incident_events (incident_id, at, seq);

CREATE TABLE node_states (
  node_id text PRIMARY KEY CHECK (node_id <> ''),
  health text NOT NULL CHECK (health IN ('unknown', 'up', 'suspect', 'down', 'recovering')),
  degraded text,
  failures bigint NOT NULL CHECK (failures >= 0),
  successes bigint NOT NULL CHECK (successes >= 0),
  last_good_at bigint,
  last_probe_at bigint,
  failing_since bigint,
  incident_id text,
  incident_started_at bigint,
  incident_cause text,
  -- escalation marks in minutes, comma-separated ("20,40"); parsed and checked on read
  incident_escalated text CHECK (incident_escalated ~ '^([0-9]+(,[0-9]+)*)?$'),
  CHECK ((incident_id IS NULL) = (incident_started_at IS NULL)
     AND (incident_id IS NULL) = (incident_cause IS NULL)
     AND (incident_id IS NULL) = (incident_escalated IS NULL))
);

CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dedupe_key text NOT NULL,
  channel text NOT NULL,
  kind text NOT NULL,
  -- the AlertEvent, validated with alertEventSchema on write and on read
  event json NOT NULL,
  created_at bigint NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at bigint NOT NULL,
  last_error text,
  sent_at bigint,
  dead_at bigint,
  -- an attempt recorded before it starts (markSending), cleared when it ends
  sending_at bigint,
  in_doubt boolean NOT NULL DEFAULT false,
  UNIQUE (dedupe_key, channel)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_sending ON outbox (id) WHERE sending_at IS NOT NULL;

CREATE TABLE fleet_snapshot (
  id integer PRIMARY KEY CHECK (id = 1),
  taken_at bigint NOT NULL,
  nodes json NOT NULL
);
`,
};
