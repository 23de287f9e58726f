/**
 * A stored network view (NetviewRecord) as the readers show it: `nodeward status`, the dashboard
 * and `nodeward audit`. Pure. The minutes before EXPIRED are counted now from the ping the
 * verdict rests on, as the network counts them (the stored figure is the one at askedAt), and a
 * row the watcher has not renewed for 3 of its intervals is stale: it says what the network said
 * then, not now. `detail` is read through its schema; a row whose detail does not parse (another
 * version wrote it, or it is damaged) is still shown by its columns, with its detail "unreadable".
 */
import { parseDetail, type NetviewDetail } from "./detail.ts";
import type { VerdictState } from "./model.ts";
import type { NetworkCondition, NetviewRecord } from "./ports.ts";

/** A row older than this many netview intervals is stale: the watcher should have renewed it twice. */
export const STALE_INTERVALS = 3;

export interface ReadingRules {
  /** netview.intervalSeconds: how often the watcher asks. */
  intervalSeconds: number;
  /** The coin's EXPIRED mark, in minutes after the last ping (SmartCash: 65). */
  expiredMinutes: number;
}

export interface NetviewReading {
  outpoint: string;
  state: VerdictState;
  condition: NetworkCondition;
  conditionSince: number;
  /** ms since the epoch of the ping the verdict rests on; null when no peer had one. */
  lastPingAt: number | null;
  /** Whole minutes before the network marks the node EXPIRED, counted at `now` (0 when past); null without a ping. */
  minutesToExpired: number | null;
  askedAt: number;
  /** Older than STALE_INTERVALS × intervalSeconds: is `nodeward watch` running? */
  stale: boolean;
  /** Peers' answers, problems, disagreement and the announce; null when the stored detail is unreadable. */
  detail: NetviewDetail | null;
}

export function readNetview(r: NetviewRecord, now: number, rules: ReadingRules): NetviewReading {
  return {
    outpoint: r.outpoint,
    state: r.state,
    condition: r.condition,
    conditionSince: r.conditionSince,
    lastPingAt: r.lastPingAt,
    minutesToExpired: r.lastPingAt === null ? null : Math.max(0, Math.floor((r.lastPingAt + rules.expiredMinutes * 60_000 - now) / 60_000)),
    askedAt: r.askedAt,
    stale: now - r.askedAt > STALE_INTERVALS * rules.intervalSeconds * 1000,
    detail: parseDetail(r.detail),
  };
}

/** Peers that answered about the node (listing it or not), of those asked; null when the detail is unreadable. */
export function peersAnswered(detail: NetviewDetail | null): { answered: number; listing: number; asked: number } | null {
  if (detail === null) return null;
  return {
    answered: detail.peers.filter((p) => p.answer === "listed" || p.answer === "unlisted").length,
    listing: detail.peers.filter((p) => p.answer === "listed").length,
    asked: detail.peers.length,
  };
}

/** The condition in a few words, as status, the dashboard and the audit say it. */
export const CONDITION_WORDS: Record<NetworkCondition, string> = {
  ok: "ok",
  expired: "expired in the network",
  "new-start": "new start required",
  unseen: "unseen by the network",
  unknown: "not known yet",
};
