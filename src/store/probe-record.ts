import type { ProbeRecord } from "../watch/model.ts";
import { StoreError } from "./errors.ts";

/**
 * What a store keeps of a probe, the same in every implementation: times and block data must be
 * whole non-negative numbers (a fractional or negative `at` is a bug upstream and is refused, the
 * whole batch with it), latency is kept to the whole millisecond (a measured duration is fractional).
 * A probe is identified by (nodeId, at): appending the same pair again replaces it.
 */
export function normalizeProbe(r: ProbeRecord): ProbeRecord {
  if (r.nodeId === "") throw invalid(r, "nodeId is empty");
  if (!Number.isSafeInteger(r.at) || r.at < 0) throw invalid(r, `at must be whole ms since the epoch, got ${r.at}`);
  if (!wholeOrNull(r.height)) throw invalid(r, `height must be a whole number or null, got ${r.height}`);
  if (!wholeOrNull(r.protocolVersion)) throw invalid(r, `protocolVersion must be a whole number or null, got ${r.protocolVersion}`);
  if (r.latencyMs !== null && !(Number.isFinite(r.latencyMs) && r.latencyMs >= 0)) {
    throw invalid(r, `latencyMs must be a finite number ≥ 0 or null, got ${r.latencyMs}`);
  }
  return {
    nodeId: r.nodeId,
    at: r.at,
    ok: r.ok,
    cause: r.cause,
    latencyMs: r.latencyMs === null ? null : Math.round(r.latencyMs),
    height: r.height,
    protocolVersion: r.protocolVersion,
  };
}

function wholeOrNull(n: number | null): boolean {
  return n === null || (Number.isSafeInteger(n) && n >= 0);
}

function invalid(r: ProbeRecord, why: string): StoreError {
  return new StoreError("invalid-argument", `cannot store the probe of ${JSON.stringify(r.nodeId)} at ${r.at}: ${why}; nothing in this batch was stored`);
}
