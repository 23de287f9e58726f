import type { AlertEvent } from "./event.ts";

/**
 * The durable outbox: an alert is stored before it is sent, retried with backoff until delivered,
 * and survives restarts. (dedupeKey, channel) is unique: enqueueing the same pair again is a no-op.
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
}

export interface OutboxStore {
  /** Inserts the items whose (dedupeKey, channel) is new, in one transaction; returns how many were new. */
  enqueue(items: readonly { dedupeKey: string; channel: string; event: AlertEvent }[], now: number): Promise<number>;
  /** Unsent, not dead, nextAttemptAt ≤ now; oldest first. */
  due(now: number, limit: number): Promise<OutboxItem[]>;
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
