import type { Migration } from "../migrate.ts";

/**
 * The first schema. Frozen: a later change is a new numbered migration, never an edit here.
 *
 * Size: probes and hourly rollups are WITHOUT ROWID tables clustered on (node_key, time), so the
 * primary key is the (node, time) index and no second copy of each row exists; node ids (provider
 * UUIDs, 36 bytes) are stored once in node_keys and referenced by a small integer. Every table is
 * STRICT, so a row read back has the declared types; CHECKs hold the enumerations (widening one
 * needs a table rebuild in a new migration).
 */
export const migration0001: Migration = {
  version: 1,
  name: "initial",
  sql: `
PRAGMA application_id = 1853318242;

CREATE TABLE node_keys (
  key INTEGER PRIMARY KEY,
  node_id TEXT NOT NULL UNIQUE CHECK (node_id <> '')
) STRICT;

CREATE TABLE probes (
  node_key INTEGER NOT NULL REFERENCES node_keys (key),
  at INTEGER NOT NULL CHECK (at >= 0),
  ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
  cause TEXT,
  latency_ms INTEGER CHECK (latency_ms >= 0),
  height INTEGER CHECK (height >= 0),
  protocol_version INTEGER CHECK (protocol_version >= 0),
  PRIMARY KEY (node_key, at)
) STRICT, WITHOUT ROWID;

CREATE TABLE probe_hours (
  node_key INTEGER NOT NULL REFERENCES node_keys (key),
  hour INTEGER NOT NULL CHECK (hour >= 0 AND hour % 3600000 = 0),
  up INTEGER NOT NULL CHECK (up >= 0),
  total INTEGER NOT NULL CHECK (total >= up),
  latency_sum INTEGER NOT NULL CHECK (latency_sum >= 0),
  latency_count INTEGER NOT NULL CHECK (latency_count >= 0 AND latency_count <= total),
  PRIMARY KEY (node_key, hour)
) STRICT, WITHOUT ROWID;

CREATE TABLE incidents (
  id TEXT PRIMARY KEY CHECK (id <> ''),
  node_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  last_good_at INTEGER,
  ended_at INTEGER,
  cause TEXT NOT NULL
) STRICT;
CREATE INDEX incidents_by_node ON incidents (node_id, started_at);
CREATE INDEX incidents_by_start ON incidents (started_at);
CREATE INDEX incidents_open ON incidents (started_at) WHERE ended_at IS NULL;

CREATE TABLE incident_events (
  seq INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('down', 'escalation', 'recovered', 'remediation', 'remediation-skipped', 'alert-sent', 'alert-failed', 'degraded')),
  detail TEXT NOT NULL
) STRICT;
CREATE INDEX incident_events_timeline ON incident_events (incident_id, at, seq);

CREATE TABLE node_states (
  node_id TEXT PRIMARY KEY CHECK (node_id <> ''),
  health TEXT NOT NULL CHECK (health IN ('unknown', 'up', 'suspect', 'down', 'recovering')),
  degraded TEXT,
  failures INTEGER NOT NULL CHECK (failures >= 0),
  successes INTEGER NOT NULL CHECK (successes >= 0),
  last_good_at INTEGER,
  last_probe_at INTEGER,
  failing_since INTEGER,
  incident_id TEXT,
  incident_started_at INTEGER,
  incident_cause TEXT,
  -- escalation marks in minutes, comma-separated ("20,40"); parsed and checked on read
  incident_escalated TEXT CHECK (incident_escalated NOT GLOB '*[^0-9,]*'),
  CHECK ((incident_id IS NULL) = (incident_started_at IS NULL)
     AND (incident_id IS NULL) = (incident_cause IS NULL)
     AND (incident_id IS NULL) = (incident_escalated IS NULL))
) STRICT;

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  dedupe_key TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  -- the AlertEvent as JSON, validated with alertEventSchema on write and on read
  event TEXT NOT NULL CHECK (json_valid(event)),
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  sent_at INTEGER,
  dead_at INTEGER,
  UNIQUE (dedupe_key, channel)
) STRICT;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND dead_at IS NULL;
`,
};
