import type { OutboxItem } from "../../alerts/outbox-store.ts";
import { parseStoredAlertEvent } from "../alert-event-schema.ts";
import type { Db } from "./db.ts";

/**
 * Outbox rows as read back: the event comes as JSON text and is parsed and checked again
 * (alertEventSchema), so a row damaged or written by another version never reaches a channel.
 * One that fails is marked dead with the reason, once, if it is still pending, and left out.
 */

export interface OutboxRow {
  id: number;
  dedupe_key: string;
  channel: string;
  kind: string;
  event: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  sent_at: number | null;
  dead_at: number | null;
  sending_at: number | null;
  in_doubt: boolean;
}

/** `event::text`: pg would parse json itself; the store parses it with the schema instead. */
export const SELECT_ITEM = `SELECT id, dedupe_key, channel, kind, event::text AS event, created_at, attempts, next_attempt_at,
  last_error, sent_at, dead_at, sending_at, in_doubt FROM outbox`;

export async function readable(db: Db, rows: readonly OutboxRow[], now: number): Promise<{ items: OutboxItem[]; buried: number }> {
  const items: OutboxItem[] = [];
  let buried = 0;
  for (const row of rows) {
    const parsed = parseStoredAlertEvent(row.event);
    const error = !parsed.ok ? parsed.error : parsed.event.kind !== row.kind ? `stored kind ${row.kind} differs from the event's ${parsed.event.kind}` : null;
    if (parsed.ok && error === null) {
      items.push(toItem(row, parsed.event));
      continue;
    }
    const r = await db.query("UPDATE outbox SET dead_at = $1, last_error = $2 WHERE id = $3 AND sent_at IS NULL AND dead_at IS NULL", [
      now,
      `outbox item ${row.id} is unreadable and was given up: ${error}`,
      row.id,
    ]);
    buried += r.rowCount ?? 0;
  }
  return { items, buried };
}

function toItem(row: OutboxRow, event: OutboxItem["event"]): OutboxItem {
  return {
    id: row.id,
    dedupeKey: row.dedupe_key,
    channel: row.channel,
    event,
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    sentAt: row.sent_at,
    deadAt: row.dead_at,
    sendingAt: row.sending_at,
    inDoubt: row.in_doubt,
  };
}
