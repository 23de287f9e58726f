import type { LatestProbeStore, VantageProbe } from "../../fleet/ports.ts";
import type { ProbeRecord } from "../../watch/model.ts";
import { checkCursor, checkLimit } from "../arguments.ts";

/** The newest results, written by the memory probe store and read through `latest`. */
export interface MemoryLatestProbes {
  latest: LatestProbeStore;
  /** Folds a checked batch in: per (node, vantage), a result replaces the kept one unless that one is newer. */
  write(batch: readonly ProbeRecord[], vantage: string): void;
}

/**
 * One row per (node, vantage), each change numbered from a counter that never goes back (a
 * forgotten row's seq is never given out again, so a reader's cursor stays valid).
 */
export function memoryLatestProbes(): MemoryLatestProbes {
  const rows = new Map<string, VantageProbe>();
  let seq = 0;
  const key = (nodeId: string, vantage: string) => JSON.stringify([nodeId, vantage]);

  return {
    write(batch, vantage) {
      for (const p of batch) {
        const k = key(p.nodeId, vantage);
        const kept = rows.get(k);
        if (kept !== undefined && kept.at > p.at) continue;
        rows.set(k, { ...p, vantage, seq: ++seq });
      }
    },
    latest: {
      async latestSince(cursor, limit) {
        checkCursor(cursor);
        checkLimit(limit);
        const page = [...rows.values()]
          .filter((r) => r.seq > cursor)
          .sort((a, b) => a.seq - b.seq)
          .slice(0, limit)
          .map((r) => ({ ...r }));
        return { rows: page, cursor: page.at(-1)?.seq ?? cursor };
      },
      async forgetLatest(nodeIds) {
        const gone = new Set(nodeIds);
        for (const [k, r] of rows) if (gone.has(r.nodeId)) rows.delete(k);
      },
    },
  };
}
