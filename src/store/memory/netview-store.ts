import type { NetviewRecord, NetviewStore } from "../../netview/ports.ts";
import { byNodeId, checkNetviewRecord } from "../netview-record.ts";

/** One row per node; the records are copied in and out, so nothing is shared with the caller. */
export function memoryNetviewStore(): NetviewStore {
  const rows = new Map<string, NetviewRecord>();
  return {
    async saveNetview(records) {
      const checked = records.map(checkNetviewRecord);
      for (const r of checked) rows.set(r.nodeId, r);
    },
    async latestNetview() {
      return [...rows.values()].sort(byNodeId).map((r) => ({ ...r }));
    },
    async pruneNetview(keepNodeIds) {
      const keep = new Set(keepNodeIds);
      let dropped = 0;
      for (const id of [...rows.keys()]) {
        if (!keep.has(id) && rows.delete(id)) dropped++;
      }
      return dropped;
    },
  };
}
