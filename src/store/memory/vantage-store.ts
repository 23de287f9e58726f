import type { VantageRecord, VantageStore } from "../../fleet/ports.ts";
import { checkVantageRecord } from "../vantage-record.ts";

/** Heartbeats by vantage name. */
export function memoryVantageStore(): VantageStore {
  const byName = new Map<string, VantageRecord>();
  return {
    async beat(v) {
      const row = checkVantageRecord(v);
      byName.set(row.name, row);
    },
    async vantages() {
      return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((v) => ({ ...v }));
    },
    async forget(name) {
      byName.delete(name);
    },
  };
}
