import type { VantageRecord } from "./ports.ts";

/**
 * Which vantages may vote, and when one is lost or back, pure. A vantage is lost when its
 * heartbeat is older than `lostAfterMs` (2 probe intervals: it stopped, or cannot reach the
 * database), or when its own self-check fails (its failures are about itself, not the nodes).
 * A heartbeat further ahead than that is not trusted either: a vantage whose clock runs far
 * ahead would otherwise look alive long after it died.
 */

export interface VantageLiveness {
  name: string;
  holder: string;
  live: boolean;
  /** Why lost; null when live. */
  why: "silent" | "unhealthy" | null;
  seenAt: number;
  /** The vantage's own words when unhealthy. */
  detail: string | null;
}

export function assessVantages(records: readonly VantageRecord[], now: number, lostAfterMs: number): VantageLiveness[] {
  return records.map((v) => {
    const why = Math.abs(now - v.seenAt) > lostAfterMs ? "silent" : v.healthy ? null : "unhealthy";
    return { name: v.name, holder: v.holder, live: why === null, why, seenAt: v.seenAt, detail: v.detail };
  });
}

export function liveNames(vantages: readonly VantageLiveness[]): Set<string> {
  return new Set(vantages.filter((v) => v.live).map((v) => v.name));
}

/** What the tracker remembers per vantage: live or lost, and since when (the time it noticed). */
export type LivenessMemory = ReadonlyMap<string, { live: boolean; since: number }>;

export type LivenessChange =
  | { kind: "lost"; at: number; vantage: VantageLiveness }
  | { kind: "back"; at: number; vantage: VantageLiveness; lostSince: number };

/**
 * Folds a new assessment into the memory: a vantage that turns lost yields "lost" once, one that
 * turns live again "back" once; a lost one whose reason changes (silent, then unhealthy) yields
 * nothing new. A vantage seen for the first time already lost yields "lost" (a leader that just
 * took over must not stay quiet about a dead vantage; the alert's dedupe key, built from the
 * vantage's holder and seenAt, keeps a second leader from repeating it); one first seen live
 * yields nothing. A vantage no longer listed (forgotten by the operator) is dropped silently.
 */
export function trackLiveness(memory: LivenessMemory, now: readonly VantageLiveness[], at: number): { memory: LivenessMemory; changes: LivenessChange[] } {
  const next = new Map<string, { live: boolean; since: number }>();
  const changes: LivenessChange[] = [];
  for (const v of now) {
    const was = memory.get(v.name);
    if (was !== undefined && was.live === v.live) {
      next.set(v.name, was);
      continue;
    }
    next.set(v.name, { live: v.live, since: at });
    if (!v.live) changes.push({ kind: "lost", at, vantage: v });
    else if (was !== undefined) changes.push({ kind: "back", at, vantage: v, lostSince: was.since });
  }
  return { memory: next, changes };
}
