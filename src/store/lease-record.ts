import { StoreError } from "./errors.ts";

/**
 * Checks on a lease request, the same in every implementation: a lease and its holder are named
 * (an empty holder could never be told apart from "nobody"), and a ttl is a positive whole number
 * of ms (0 or NaN would grant a lease that is already over, or never ends).
 */
export function checkLeaseRequest(name: string, holder: string, ttlMs?: number): void {
  if (name === "") throw new StoreError("invalid-argument", "a lease name must not be empty");
  if (holder === "") throw new StoreError("invalid-argument", `the holder of lease ${JSON.stringify(name)} must not be empty`);
  if (ttlMs !== undefined && !(Number.isSafeInteger(ttlMs) && ttlMs > 0)) {
    throw new StoreError("invalid-argument", `the ttl of lease ${JSON.stringify(name)} must be a whole number of ms > 0, got ${ttlMs}`);
  }
}
