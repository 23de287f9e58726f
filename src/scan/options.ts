import { AppError } from "../core/errors.ts";
import { MAX_CONCURRENCY } from "./concurrency.ts";
import { MAX_PORT } from "./ports.ts";
import type { RttLimits } from "./rtt.ts";
import type { ScanOptions } from "./types.ts";

/**
 * Scan defaults and their checks. The timeouts are nmap's -T4 floor (100 ms) and nmap's default
 * initial timeout (1 s); the ceiling (3 s) is above any sane Internet round trip but keeps a scan
 * of a silent host bounded. Pure: the default concurrency is passed in (see concurrency.ts).
 */

export const DEFAULT_INITIAL_TIMEOUT_MS = 1000;
export const DEFAULT_MIN_TIMEOUT_MS = 100;
export const DEFAULT_MAX_TIMEOUT_MS = 3000;
export const DEFAULT_MAX_RETRIES = 2;
export const MAX_RETRIES_LIMIT = 10;

export interface ScanSettings {
  ports: number[];
  concurrency: number;
  limits: RttLimits;
  maxRetries: number;
}

/** Checks the options and fills in defaults; a bad value is an AppError("USAGE") naming it. */
export function scanSettings(opts: ScanOptions, defaultConcurrency: number): ScanSettings {
  if (opts.ports.length === 0) throw usage("no ports to scan", "give at least one port, e.g. 9678 or \"top\"");
  const ports = [...new Set(opts.ports)];
  const badPort = ports.find((p) => !Number.isInteger(p) || p < 1 || p > MAX_PORT);
  if (badPort !== undefined) throw usage(`${badPort} is not a TCP port; ports are 1–${MAX_PORT}`);

  const concurrency = opts.concurrency ?? defaultConcurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw usage(`concurrency ${concurrency} is out of range; use a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  const limits: RttLimits = {
    initialMs: opts.initialTimeoutMs ?? DEFAULT_INITIAL_TIMEOUT_MS,
    minMs: opts.minTimeoutMs ?? DEFAULT_MIN_TIMEOUT_MS,
    maxMs: opts.maxTimeoutMs ?? DEFAULT_MAX_TIMEOUT_MS,
  };
  for (const [name, v] of [["initialTimeoutMs", limits.initialMs], ["minTimeoutMs", limits.minMs], ["maxTimeoutMs", limits.maxMs]] as const) {
    if (!Number.isFinite(v) || v <= 0) throw usage(`${name} must be a positive number of milliseconds; got ${v}`);
  }
  if (limits.minMs > limits.maxMs) throw usage(`minTimeoutMs ${limits.minMs} is above maxTimeoutMs ${limits.maxMs}`);

  const maxRetries = opts.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
    throw usage(`maxRetries ${maxRetries} is out of range; use a whole number from 0 to ${MAX_RETRIES_LIMIT}`);
  }
  return { ports, concurrency, limits, maxRetries };
}

function usage(message: string, hint?: string): AppError {
  return new AppError("USAGE", `scan: ${message}`, hint === undefined ? {} : { hint });
}
