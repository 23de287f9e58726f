import type { Clock } from "../../core/clock.ts";
import type { Lease, LeaseStore } from "../../fleet/ports.ts";
import { checkLeaseRequest } from "../lease-record.ts";

/**
 * Leases by name, timed by `clock` (the store's clock). A released lease is kept, lapsed, so the
 * next holder's token still follows the last one. Each call runs to the end before another starts
 * (no await inside), which is what makes acquiring atomic here.
 */
export function memoryLeaseStore(clock: Pick<Clock, "now">): LeaseStore {
  const leases = new Map<string, Lease>();
  return {
    async acquireLease(name, holder, ttlMs) {
      checkLeaseRequest(name, holder, ttlMs);
      const now = clock.now();
      const kept = leases.get(name);
      if (kept !== undefined && kept.holder !== holder && kept.expiresAt > now) return null;
      const token = kept === undefined ? 1 : kept.holder === holder ? kept.token : kept.token + 1;
      const lease: Lease = { name, holder, token, expiresAt: now + ttlMs };
      leases.set(name, lease);
      return { ...lease };
    },
    async releaseLease(name, holder) {
      const kept = leases.get(name);
      if (kept === undefined || kept.holder !== holder) return;
      kept.expiresAt = Math.min(kept.expiresAt, clock.now());
    },
    async currentLease(name) {
      const kept = leases.get(name);
      return kept === undefined ? null : { ...kept };
    },
  };
}
