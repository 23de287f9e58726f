import { readFile } from "node:fs/promises";

/**
 * How many probes a scan keeps in flight by default. Every probe holds one socket, i.e. one
 * file descriptor, for up to its timeout. Node has no getrlimit(), so the soft RLIMIT_NOFILE is
 * read from /proc/self/limits on Linux (Node itself raises the soft limit to the hard limit at
 * start-up, so this is usually the hard limit). A scan takes at most a quarter of it — the rest
 * of the process (daemon, store, dashboard, other scans running at the same time) keeps the
 * remainder — never fewer than MIN and never more than MAX_DEFAULT_CONCURRENCY. When the limit
 * cannot be read (not Linux, no /proc), FALLBACK_CONCURRENCY is used.
 *
 * Even with a wrong guess the scan does not fail: on EMFILE/ENFILE/EADDRNOTAVAIL the engine
 * retires workers until the machine copes (see engine.ts).
 */

export const FALLBACK_CONCURRENCY = 512;
export const MAX_DEFAULT_CONCURRENCY = 1024;
export const MIN_CONCURRENCY = 16;
/** The largest concurrency accepted from the operator: beyond this the ephemeral port range and descriptors run short. */
export const MAX_CONCURRENCY = 16384;

/** The soft "Max open files" limit from the text of /proc/self/limits; Infinity for "unlimited". */
export function parseOpenFileLimit(limitsText: string): number | undefined {
  const line = limitsText.split("\n").find((l) => l.startsWith("Max open files"));
  if (line === undefined) return undefined;
  const soft = line.slice("Max open files".length).trim().split(/\s+/)[0];
  if (soft === "unlimited") return Number.POSITIVE_INFINITY;
  if (soft === undefined || !/^\d+$/.test(soft)) return undefined;
  return Number(soft);
}

/** The default concurrency for a soft descriptor limit (undefined: unknown). */
export function concurrencyForLimit(softLimit: number | undefined): number {
  if (softLimit === undefined) return FALLBACK_CONCURRENCY;
  return Math.max(MIN_CONCURRENCY, Math.min(MAX_DEFAULT_CONCURRENCY, Math.floor(softLimit / 4)));
}

/** Reads this process's soft RLIMIT_NOFILE; undefined where /proc/self/limits does not exist. */
export async function readOpenFileLimit(): Promise<number | undefined> {
  try {
    return parseOpenFileLimit(await readFile("/proc/self/limits", "utf8"));
  } catch {
    return undefined;
  }
}

export async function defaultConcurrency(): Promise<number> {
  return concurrencyForLimit(await readOpenFileLimit());
}
