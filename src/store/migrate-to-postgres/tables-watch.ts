import { column, flag, type Row, type TableCopy } from "./table.ts";

/**
 * Incidents with their timelines, node states, the outbox and the fleet snapshot: SQLite's
 * migrations 0001, 0003 and 0004 → PostgreSQL's 0001 (the same columns; 0/1 become booleans,
 * JSON text becomes json, identities are PostgreSQL's own).
 */

const columns = (rows: readonly Row[], fields: readonly string[]) => fields.map((f) => column(rows, f));

const INCIDENT = ["id", "node_id", "started_at", "last_good_at", "ended_at", "cause"] as const;

export const incidents: TableCopy = {
  name: "incidents",
  select: INCIDENT.join(", "),
  from: "incidents",
  order: ["id"],
  cursor: ["id"],
  insert: `INSERT INTO incidents (${INCIDENT.join(", ")})
    SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[])
    ON CONFLICT (id) DO NOTHING`,
  params: (rows) => columns(rows, INCIDENT),
  countSqlite: "SELECT count(*) AS n FROM incidents",
  countPostgres: { sql: "SELECT count(*) AS n FROM incidents" },
};

/**
 * A timeline only grows, so an incident's events in PostgreSQL are the first ones of SQLite's
 * (table.ts). In seq order: PostgreSQL's seq then keeps events of the same moment in their order.
 */
export const incidentEvents: TableCopy = {
  name: "incident_events",
  select: "seq, incident_id, at, kind, detail",
  from: "incident_events",
  order: ["seq"],
  cursor: ["seq"],
  rankWithin: "incident_id",
  insert: `INSERT INTO incident_events (incident_id, at, kind, detail)
    SELECT t.incident_id, t.at, t.kind, t.detail
    FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[]) WITH ORDINALITY AS t(incident_id, at, kind, detail, rank, ord)
    WHERE t.rank > (SELECT count(*) FROM incident_events e WHERE e.incident_id = t.incident_id)
    ORDER BY t.ord`,
  params: (rows, ranks) => [...columns(rows, ["incident_id", "at", "kind", "detail"]), ranks],
  countSqlite: "SELECT count(*) AS n FROM incident_events",
  countPostgres: { sql: "SELECT count(*) AS n FROM incident_events" },
};

const STATE = [
  "node_id", "health", "degraded", "failures", "successes", "last_good_at", "last_probe_at", "failing_since",
  "incident_id", "incident_started_at", "incident_cause", "incident_escalated",
] as const;

export const nodeStates: TableCopy = {
  name: "node_states",
  select: STATE.join(", "),
  from: "node_states",
  order: ["node_id"],
  cursor: ["node_id"],
  insert: `INSERT INTO node_states (${STATE.join(", ")})
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
      $9::text[], $10::bigint[], $11::text[], $12::text[])
    ON CONFLICT (node_id) DO NOTHING`,
  params: (rows) => columns(rows, STATE),
  countSqlite: "SELECT count(*) AS n FROM node_states",
  countPostgres: { sql: "SELECT count(*) AS n FROM node_states" },
};

const OUTBOX = ["dedupe_key", "channel", "kind", "event", "created_at", "attempts", "next_attempt_at", "last_error", "sent_at", "dead_at", "sending_at"] as const;

/**
 * Every item in its state: pending, failed with its attempts, sent, dead, in doubt, and one whose
 * attempt was open when the file was read (the leader's next delivery pass finds it cut off and
 * sends it again marked as a possible duplicate, as the SQLite watcher would have). In id order,
 * so "oldest first" stays true.
 */
export const outbox: TableCopy = {
  name: "outbox",
  select: `id, ${OUTBOX.join(", ")}, in_doubt`,
  from: "outbox",
  order: ["id"],
  cursor: ["id"],
  insert: `INSERT INTO outbox (${OUTBOX.join(", ")}, in_doubt)
    SELECT t.dedupe_key, t.channel, t.kind, t.event::json, t.created_at, t.attempts, t.next_attempt_at, t.last_error, t.sent_at, t.dead_at, t.sending_at, t.in_doubt
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::integer[], $7::bigint[], $8::text[], $9::bigint[], $10::bigint[],
      $11::bigint[], $12::boolean[]) WITH ORDINALITY AS t(${OUTBOX.join(", ")}, in_doubt, ord)
    ORDER BY t.ord
    ON CONFLICT (dedupe_key, channel) DO NOTHING`,
  params: (rows) => [...columns(rows, OUTBOX), flag(rows, "in_doubt")],
  countSqlite: "SELECT count(*) AS n FROM outbox",
  countPostgres: { sql: "SELECT count(*) AS n FROM outbox" },
};

export const fleetSnapshot: TableCopy = {
  name: "fleet_snapshot",
  select: "id, taken_at, nodes",
  from: "fleet_snapshot",
  order: ["id"],
  cursor: ["id"],
  insert: `INSERT INTO fleet_snapshot (id, taken_at, nodes)
    SELECT t.id, t.taken_at, t.nodes::json FROM unnest($1::integer[], $2::bigint[], $3::text[]) AS t(id, taken_at, nodes)
    ON CONFLICT (id) DO NOTHING`,
  params: (rows) => columns(rows, ["id", "taken_at", "nodes"]),
  countSqlite: "SELECT count(*) AS n FROM fleet_snapshot",
  countPostgres: { sql: "SELECT count(*) AS n FROM fleet_snapshot" },
};
