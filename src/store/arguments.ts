import { StoreError } from "./errors.ts";

/**
 * Checks on query arguments, the same in every implementation: times are whole ms since the epoch
 * and limits whole counts, so SQL and memory answer alike and a NaN never becomes "no rows".
 */
export function checkTime(what: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new StoreError("invalid-argument", `${what} must be whole ms since the epoch, got ${n}`);
}

export function checkLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new StoreError("invalid-argument", `limit must be a whole number ≥ 0, got ${limit}`);
}

export function checkRange(since: number, until: number): void {
  checkTime("since", since);
  checkTime("until", until);
}

/** A position in a change feed (fleet/ports.ts LatestProbeStore): 0 for the start, else a seq read before. */
export function checkCursor(cursor: number): void {
  if (!Number.isSafeInteger(cursor) || cursor < 0) throw new StoreError("invalid-argument", `cursor must be a whole number ≥ 0 (0, or a seq read before), got ${cursor}`);
}
