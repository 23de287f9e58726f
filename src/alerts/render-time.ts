import type { RewardClock } from "./event.ts";

/**
 * The time phrases every alert uses: UTC wall times, durations, and the reward clock ("EXPIRED in
 * 52 min"). Pure; `now` is always passed in. Minutes are rounded down, so "left" never overstates.
 */

const MINUTE = 60_000;

/** "2025-01-02 14:05 UTC". */
export function utcDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "14:05 UTC" when `ms` falls on the same UTC day as `now`, else the full date. */
export function utcTime(ms: number, now: number): string {
  const full = utcDateTime(ms);
  return full.slice(0, 10) === utcDateTime(now).slice(0, 10) ? full.slice(11) : full;
}

/** "under 1 min", "52 min", "3 h 05 min", "2 d 4 h". */
export function duration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE);
  if (minutes < 1) return "under 1 min";
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function wholeMinutes(ms: number): number {
  return Math.floor(Math.max(0, ms) / MINUTE);
}

export interface ClockText {
  /** The short state for a title: "EXPIRED in 52 min", "NEW_START_REQUIRED". */
  headline: string;
  expired: string;
  newStart: string;
  /** Which marks have passed. */
  passed: "none" | "expired" | "new-start" | "unknown";
}

/** The reward clock of a node that is down, as text. */
export function clockText(clock: RewardClock, now: number): ClockText {
  if (clock.expiresAt === null || clock.newStartAt === null) {
    const unknown = "unknown (no good ping seen since the watcher started)";
    return {
      headline: "",
      expired: unknown,
      newStart: unknown,
      passed: "unknown",
    };
  }
  const expired = mark(clock.expiresAt, now, "not paid while expired");
  const newStart = mark(clock.newStartAt, now, "needs a new start from the wallet");
  const passed = now >= clock.newStartAt ? "new-start" : now >= clock.expiresAt ? "expired" : "none";
  const headline =
    passed === "none"
      ? `EXPIRED in ${duration(clock.expiresAt - now)}`
      : passed === "expired"
        ? `EXPIRED, NEW_START_REQUIRED in ${duration(clock.newStartAt - now)}`
        : "NEW_START_REQUIRED";
  return { headline, expired, newStart, passed };
}

function mark(at: number, now: number, consequence: string): string {
  return at > now
    ? `in ${duration(at - now)} (at ${utcTime(at, now)})`
    : `passed at ${utcTime(at, now)} (${duration(now - at)} ago): ${consequence}`;
}

/** "(Delivered late: raised at 14:05 UTC, 23 min ago.)" when an alert waited more than 5 minutes. */
export function lateNote(at: number, now: number): string | null {
  return now - at > 5 * MINUTE ? `(Delivered late: raised at ${utcTime(at, now)}, ${duration(now - at)} ago.)` : null;
}
