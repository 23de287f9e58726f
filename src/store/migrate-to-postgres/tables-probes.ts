import { LOCAL_VANTAGE } from "../../fleet/ports.ts";
import { APPEND_LOCK } from "../postgres/probe-append.ts";
import { column, flag, type Row, type TableCopy } from "./table.ts";

/**
 * Node keys and probe history: SQLite's migrations 0001 and 0005 → PostgreSQL's 0001 and 0003.
 * Keys differ between the two databases (each hands out its own), so rows travel with the node
 * id and find PostgreSQL's key by it. SQLite's raw probes are one watcher's: vantage "local".
 * SQLite's probe_latest_seq (a counter of the change feed) has no row to copy: PostgreSQL's feed
 * numbers come from its own sequence.
 */

/** Appenders of the fleet take this lock before inserting node keys or feed rows (probe-append.ts); so do we. */
const APPEND: TableCopy["prelude"] = [{ sql: "SELECT pg_advisory_xact_lock($1::bigint)", params: [APPEND_LOCK] }];
const NODE_ID = (alias: string) => `(SELECT node_id FROM node_keys WHERE key = ${alias}.node_key) AS node_id`;
const RESULT = "ok, cause, latency_ms, height, protocol_version";
const RESULT_ARRAYS = "$3::boolean[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[]";

const result = (rows: readonly Row[]) => [flag(rows, "ok"), column(rows, "cause"), column(rows, "latency_ms"), column(rows, "height"), column(rows, "protocol_version")];

export const nodeKeys: TableCopy = {
  name: "node_keys",
  select: "key, node_id",
  from: "node_keys",
  order: ["key"],
  cursor: ["key"],
  prelude: APPEND,
  // Only the missing ones: a conflicting insert would burn an identity value each time.
  insert: `INSERT INTO node_keys (node_id)
    SELECT t.node_id FROM unnest($1::text[]) WITH ORDINALITY AS t(node_id, ord)
    WHERE NOT EXISTS (SELECT 1 FROM node_keys k WHERE k.node_id = t.node_id) ORDER BY t.ord`,
  params: (rows) => [column(rows, "node_id")],
  countSqlite: "SELECT count(*) AS n FROM node_keys",
  countPostgres: { sql: "SELECT count(*) AS n FROM node_keys" },
};

export const probes: TableCopy = {
  name: "probes",
  select: `p.node_key AS node_key, p.at AS at, ${NODE_ID("p")}, p.ok AS ok, p.cause AS cause, p.latency_ms AS latency_ms, p.height AS height, p.protocol_version AS protocol_version`,
  from: "probes p",
  order: ["p.node_key", "p.at"],
  cursor: ["node_key", "at"],
  prelude: [...APPEND, { sql: "INSERT INTO vantage_keys (name) SELECT $1::text WHERE NOT EXISTS (SELECT 1 FROM vantage_keys WHERE name = $1::text)", params: [LOCAL_VANTAGE] }],
  insert: `INSERT INTO probes (at, node_key, vantage_key, ${RESULT})
    SELECT t.at, k.key, v.key, t.ok, t.cause, t.latency_ms, t.height, t.protocol_version
    FROM unnest($1::text[], $2::bigint[], ${RESULT_ARRAYS}) AS t(node_id, at, ${RESULT})
    JOIN node_keys k ON k.node_id = t.node_id
    CROSS JOIN (SELECT key FROM vantage_keys WHERE name = $8::text) AS v
    ON CONFLICT (node_key, at, vantage_key) DO NOTHING`,
  params: (rows) => [column(rows, "node_id"), column(rows, "at"), ...result(rows), LOCAL_VANTAGE],
  countSqlite: "SELECT count(*) AS n FROM probes",
  // Other vantages' probes in a database a fleet already writes to are not the file's.
  countPostgres: { sql: "SELECT count(*) AS n FROM probes WHERE vantage_key = (SELECT key FROM vantage_keys WHERE name = $1::text)", params: [LOCAL_VANTAGE] },
};

export const probeHours: TableCopy = {
  name: "probe_hours",
  select: `h.node_key AS node_key, h.hour AS hour, ${NODE_ID("h")}, h.up AS up, h.total AS total, h.latency_sum AS latency_sum, h.latency_count AS latency_count`,
  from: "probe_hours h",
  order: ["h.node_key", "h.hour"],
  cursor: ["node_key", "hour"],
  insert: `INSERT INTO probe_hours (node_key, hour, up, total, latency_sum, latency_count)
    SELECT k.key, t.hour, t.up, t.total, t.latency_sum, t.latency_count
    FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[]) AS t(node_id, hour, up, total, latency_sum, latency_count)
    JOIN node_keys k ON k.node_id = t.node_id
    ON CONFLICT (node_key, hour) DO NOTHING`,
  params: (rows) => ["node_id", "hour", "up", "total", "latency_sum", "latency_count"].map((f) => column(rows, f)),
  countSqlite: "SELECT count(*) AS n FROM probe_hours",
  countPostgres: { sql: "SELECT count(*) AS n FROM probe_hours" },
};
