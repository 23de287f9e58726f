import type { ProbeRecord } from "../../watch/model.ts";
import { StoreError } from "../errors.ts";
import type { Query } from "./db.ts";

/**
 * appendProbes in PostgreSQL: the batch goes as one array per column, unnested server-side into
 * one multi-row INSERT (10,000 probes are one statement, not 10,000), and each node's newest
 * result of the batch is upserted into probe_latest in the same transaction.
 *
 * Every append first takes one transaction-scoped advisory lock, so appends of several watchers
 * commit one after the other. That is what makes the change feed sound: probe_latest.seq comes
 * from a sequence, and sequence values are handed out in call order, not commit order; without
 * the lock a reader could see seq 11 committed, move its cursor past 10, and miss 10 when it
 * commits a moment later. Under the lock, seq order is commit order. It also means node and
 * vantage keys are inserted by one appender at a time: only the missing ones, since a conflicting
 * insert would burn an identity value each time (10,000 a minute would exhaust an integer).
 */

/** The advisory lock key of appends: "nwlatest" as a 64-bit number. */
export const APPEND_LOCK = "7959950032221074292";

const INSERT_VANTAGE = `INSERT INTO vantage_keys (name) SELECT $1::text WHERE NOT EXISTS (SELECT 1 FROM vantage_keys WHERE name = $1::text)`;
const INSERT_NODES = `INSERT INTO node_keys (node_id)
  SELECT n FROM unnest($1::text[]) AS n WHERE NOT EXISTS (SELECT 1 FROM node_keys WHERE node_id = n)`;

const COLUMNS = "$1::text[], $2::bigint[], $3::boolean[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[]";

/** The batch has one row per (node, time) (see `latestOfEach`); one appended again replaces the stored one. */
const INSERT_PROBES = `INSERT INTO probes (at, node_key, vantage_key, ok, latency_ms, height, protocol_version, cause)
  SELECT t.at, k.key, (SELECT key FROM vantage_keys WHERE name = $8::text), t.ok, t.latency_ms, t.height, t.protocol_version, t.cause
  FROM unnest(${COLUMNS}) AS t(node_id, at, ok, cause, latency_ms, height, protocol_version)
  JOIN node_keys k ON k.node_id = t.node_id
  ON CONFLICT (node_key, at, vantage_key) DO UPDATE SET ok = excluded.ok, latency_ms = excluded.latency_ms,
    height = excluded.height, protocol_version = excluded.protocol_version, cause = excluded.cause`;

/** An older result than the stored one (a buffered batch flushed late) leaves it, and its seq, alone. */
const UPSERT_LATEST = `INSERT INTO probe_latest (node_id, vantage, seq, at, ok, cause, latency_ms, height, protocol_version)
  SELECT t.node_id, $8::text, nextval('probe_latest_seq'), t.at, t.ok, t.cause, t.latency_ms, t.height, t.protocol_version
  FROM unnest(${COLUMNS}) AS t(node_id, at, ok, cause, latency_ms, height, protocol_version)
  ON CONFLICT (node_id, vantage) DO UPDATE SET seq = excluded.seq, at = excluded.at, ok = excluded.ok, cause = excluded.cause,
    latency_ms = excluded.latency_ms, height = excluded.height, protocol_version = excluded.protocol_version
  WHERE probe_latest.at <= excluded.at`;

export function checkVantage(vantage: string): void {
  if (typeof vantage !== "string" || vantage === "") throw new StoreError("invalid-argument", `a vantage needs a name, got ${JSON.stringify(vantage)}`);
}

/** Inside a write transaction; `rows` are normalised (probe-record.ts) and not empty. */
export async function appendRows(q: Query, batch: readonly ProbeRecord[], vantage: string): Promise<void> {
  const rows = latestOfEach(batch);
  const newest = newestPerNode(rows);
  await q("SELECT pg_advisory_xact_lock($1::bigint)", [APPEND_LOCK]);
  await q(INSERT_VANTAGE, [vantage]);
  await q(INSERT_NODES, [[...newest.keys()]]);
  await q(INSERT_PROBES, [...columns(rows), vantage]);
  await q(UPSERT_LATEST, [...columns([...newest.values()]), vantage]);
}

/**
 * One row per (node, time), the later in the batch winning, as if appended one by one: a single
 * INSERT … ON CONFLICT DO UPDATE may not touch a row twice.
 */
function latestOfEach(batch: readonly ProbeRecord[]): ProbeRecord[] {
  const byNode = new Map<string, Map<number, ProbeRecord>>();
  let duplicates = false;
  for (const r of batch) {
    let times = byNode.get(r.nodeId);
    if (times === undefined) byNode.set(r.nodeId, (times = new Map()));
    duplicates ||= times.has(r.at);
    times.set(r.at, r);
  }
  return duplicates ? [...byNode.values()].flatMap((times) => [...times.values()]) : [...batch];
}

/** The batch's newest result per node; of two at the same time, the later in the batch. */
function newestPerNode(rows: readonly ProbeRecord[]): Map<string, ProbeRecord> {
  const newest = new Map<string, ProbeRecord>();
  for (const r of rows) {
    const seen = newest.get(r.nodeId);
    if (seen === undefined || seen.at <= r.at) newest.set(r.nodeId, r);
  }
  return newest;
}

function columns(rows: readonly ProbeRecord[]): unknown[][] {
  return [
    rows.map((r) => r.nodeId),
    rows.map((r) => r.at),
    rows.map((r) => r.ok),
    rows.map((r) => r.cause),
    rows.map((r) => r.latencyMs),
    rows.map((r) => r.height),
    rows.map((r) => r.protocolVersion),
  ];
}
