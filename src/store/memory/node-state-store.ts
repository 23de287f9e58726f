import type { NodeWatchState } from "../../watch/model.ts";
import type { NodeStateStore } from "../../watch/ports.ts";
import { checkNodeState } from "../node-state-record.ts";

/** One copy per node; nothing handed in or out is shared with the caller. */
export function memoryNodeStateStore(): NodeStateStore {
  const states = new Map<string, NodeWatchState>();
  return {
    async save(batch) {
      batch.forEach(checkNodeState);
      for (const s of batch) states.set(s.nodeId, structuredClone(s));
    },
    async loadAll() {
      return [...states.values()].sort((a, b) => Buffer.compare(Buffer.from(a.nodeId), Buffer.from(b.nodeId))).map((s) => structuredClone(s));
    },
    async remove(nodeIds) {
      for (const id of nodeIds) states.delete(id);
    },
  };
}
