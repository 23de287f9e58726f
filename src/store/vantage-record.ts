import type { VantageRecord } from "../fleet/ports.ts";
import { checkTime } from "./arguments.ts";
import { StoreError } from "./errors.ts";

/**
 * What a store keeps of a vantage, the same in every implementation: a name that is not empty (it
 * is the key of the vantage's heartbeat and of each of its newest results) and whole-ms times.
 * Any other text (quotes, line breaks, other scripts) is kept as it came.
 */
export function checkVantageName(name: string): void {
  if (typeof name !== "string" || name === "") {
    throw new StoreError("invalid-argument", `a vantage name must be a non-empty string, got ${JSON.stringify(name)}; nothing was stored`);
  }
}

export function checkVantageRecord(v: VantageRecord): VantageRecord {
  checkVantageName(v.name);
  checkTime("startedAt", v.startedAt);
  checkTime("seenAt", v.seenAt);
  return { name: v.name, region: v.region, holder: v.holder, startedAt: v.startedAt, seenAt: v.seenAt, healthy: v.healthy, detail: v.detail };
}
