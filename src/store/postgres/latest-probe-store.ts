import type { LatestProbeStore, VantageProbe } from "../../fleet/ports.ts";
import { checkLimit } from "../arguments.ts";
import { StoreError } from "../errors.ts";
import type { Db } from "./db.ts";

/**
 * `probe_latest`: each vantage's newest result per node, written by appendProbes (probe-append.ts)
 * in the same transaction as the raw probes. A reader follows the change feed by `seq`: appends
 * commit one after the other under an advisory lock, so a row with a smaller seq than one already
 * seen can never appear later, and a cursor never skips a change.
 */

interface LatestRow {
  node_id: string;
  vantage: string;
  seq: number;
  at: number;
  ok: boolean;
  cause: string | null;
  latency_ms: number | null;
  height: number | null;
  protocol_version: number | null;
}

export function postgresLatestProbeStore(db: Db): LatestProbeStore {
  return {
    async latestSince(cursor, limit) {
      if (!Number.isSafeInteger(cursor) || cursor < 0) throw new StoreError("invalid-argument", `cursor must be a whole number ≥ 0, got ${cursor}`);
      checkLimit(limit);
      const { rows } = await db.query<LatestRow>(
        `SELECT node_id, vantage, seq, at, ok, cause, latency_ms, height, protocol_version FROM probe_latest
         WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [cursor, limit],
      );
      return { rows: rows.map(toProbe), cursor: rows.at(-1)?.seq ?? cursor };
    },
    async forgetLatest(nodeIds) {
      if (nodeIds.length === 0) return;
      await db.query("DELETE FROM probe_latest WHERE node_id = ANY($1::text[])", [[...nodeIds]]);
    },
  };
}

function toProbe(r: LatestRow): VantageProbe {
  return {
    nodeId: r.node_id,
    vantage: r.vantage,
    seq: r.seq,
    at: r.at,
    ok: r.ok,
    cause: r.cause,
    latencyMs: r.latency_ms,
    height: r.height,
    protocolVersion: r.protocol_version,
  };
}
