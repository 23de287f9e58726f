import type Database from "better-sqlite3";
import type { LatestProbeStore, VantageProbe } from "../../fleet/ports.ts";
import type { ProbeRecord } from "../../watch/model.ts";
import { checkCursor, checkLimit } from "../arguments.ts";

/** The newest results, written by the SQLite probe store in its own transaction and read through `latest`. */
export interface SqliteLatestProbes {
  latest: LatestProbeStore;
  /**
   * Inside the probe store's write transaction, one statement per result: replaces the
   * (node, vantage)'s row, with the next seq, unless the kept row is newer.
   */
  upsert(nodeKey: number, vantage: string, r: ProbeRecord): void;
}

interface UpsertArgs {
  key: number;
  vantage: string;
  at: number;
  ok: number;
  cause: string | null;
  latency: number | null;
  height: number | null;
  protocol: number | null;
}

interface LatestRow {
  seq: number;
  node_id: string;
  vantage: string;
  at: number;
  ok: number;
  cause: string | null;
  latency_ms: number | null;
  height: number | null;
  protocol_version: number | null;
}

/**
 * `probe_latest` (migration 0005): one row per (node_key, vantage). A change takes the next seq:
 * one more than the largest in the table or among forgotten rows (probe_latest_seq), so none is
 * given out twice. SQLite runs one write transaction at a time, so seqs also commit in order and
 * a reader never sees seq n+1 before n.
 */
export function sqliteLatestProbes(db: Database.Database): SqliteLatestProbes {
  const upsert = db.prepare<UpsertArgs>(
    `INSERT INTO probe_latest (node_key, vantage, seq, at, ok, cause, latency_ms, height, protocol_version)
     VALUES (@key, @vantage,
       max(coalesce((SELECT max(seq) FROM probe_latest), 0), (SELECT forgotten FROM probe_latest_seq WHERE id = 1)) + 1,
       @at, @ok, @cause, @latency, @height, @protocol)
     ON CONFLICT (node_key, vantage) DO UPDATE SET seq = excluded.seq, at = excluded.at, ok = excluded.ok, cause = excluded.cause,
       latency_ms = excluded.latency_ms, height = excluded.height, protocol_version = excluded.protocol_version
     WHERE excluded.at >= probe_latest.at`,
  );
  const since = db.prepare<[number, number], LatestRow>(
    `SELECT l.seq, k.node_id, l.vantage, l.at, l.ok, l.cause, l.latency_ms, l.height, l.protocol_version
     FROM probe_latest l JOIN node_keys k ON k.key = l.node_key WHERE l.seq > ? ORDER BY l.seq LIMIT ?`,
  );
  const keepLargest = db.prepare("UPDATE probe_latest_seq SET forgotten = max(forgotten, coalesce((SELECT max(seq) FROM probe_latest), 0)) WHERE id = 1");
  const drop = db.prepare<[string]>("DELETE FROM probe_latest WHERE node_key = (SELECT key FROM node_keys WHERE node_id = ?)");
  const forget = db.transaction((ids: readonly string[]) => {
    keepLargest.run();
    for (const id of ids) drop.run(id);
  });

  return {
    upsert(key, vantage, r) {
      upsert.run({ key, vantage, at: r.at, ok: r.ok ? 1 : 0, cause: r.cause, latency: r.latencyMs, height: r.height, protocol: r.protocolVersion });
    },
    latest: {
      async latestSince(cursor, limit) {
        checkCursor(cursor);
        checkLimit(limit);
        const rows = since.all(cursor, limit).map(fromRow);
        return { rows, cursor: rows.at(-1)?.seq ?? cursor };
      },
      async forgetLatest(nodeIds) {
        if (nodeIds.length > 0) forget.immediate(nodeIds);
      },
    },
  };
}

function fromRow(row: LatestRow): VantageProbe {
  return {
    nodeId: row.node_id,
    vantage: row.vantage,
    seq: row.seq,
    at: row.at,
    ok: row.ok === 1,
    cause: row.cause,
    latencyMs: row.latency_ms,
    height: row.height,
    protocolVersion: row.protocol_version,
  };
}
