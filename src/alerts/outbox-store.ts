import type { AlertEvent } from "./event.ts";

/**
 * The durable outbox: an alert is stored before it is sent, retried with backoff until delivered,
 * and survives restarts. (dedupeKey, channel) is unique: enqueueing the same pair again is a no-op.
 * Each attempt is recorded before it starts (markSending) and closed by markSent, markFailed or
 * markDead; an attempt still open when the next pass starts was cut off (kill -9, power loss,
 * shutdown during the send), so its alert may or may not have arrived: markInterrupted marks it in
 * doubt, and it is sent again as a possible duplicate rather than silently dropped or repeated.
 */
export interface OutboxItem {
  id: number;
  dedupeKey: string;
  /** The configured channel's name. */
  channel: string;
  event: AlertEvent;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  sentAt: number | null;
  /** Given up on (too old); never sent. */
  deadAt: number | null;
  /** When the attempt now open started (markSending); null when none is open. */
  sendingAt: number | null;
  /** An earlier attempt was cut off with its outcome unknown: this alert may have arrived already. Stays set once sent. */
  inDoubt: boolean;
}

export interface OutboxStore {
  /** Inserts the items whose (dedupeKey, channel) is new, in one transaction; returns how many were new. */
  enqueue(items: readonly { dedupeKey: string; channel: string; event: AlertEvent }[], now: number): Promise<number>;
  /** Unsent, not dead, nextAttemptAt ≤ now; oldest first. */
  due(now: number, limit: number): Promise<OutboxItem[]>;
  /** Records, durably, that an attempt starts now; call it before handing the item to its channel. */
  markSending(id: number, now: number): Promise<void>;
  /**
   * Every pending item with an open attempt: marks it in doubt, closes the attempt (one more
   * attempt, lastError says it was cut off) and returns it as it is now. Call it when no attempt of
   * this process is open (at the start of a delivery pass): what it finds was cut off.
   */
  markInterrupted(now: number): Promise<OutboxItem[]>;
  /** markSent, markFailed and markDead close the open attempt, if any. */
  markSent(id: number, now: number): Promise<void>;
  markFailed(id: number, error: string, nextAttemptAt: number): Promise<void>;
  markDead(id: number, now: number, error: string): Promise<void>;
  /** Unsent and not dead. */
  depth(): Promise<number>;
  /** Newest first; for incident timelines and the dashboard. */
  list(filter: { dedupeKeyPrefix?: string; limit: number }): Promise<OutboxItem[]>;
  /** Deletes items sent or given up on before `settledBefore`; pending ones are kept. Returns how many. */
  prune(settledBefore: number): Promise<number>;
}
