import type Database from "better-sqlite3";
import type { OutboxItem, OutboxStore } from "../../alerts/outbox-store.ts";
import type { Clock } from "../../core/clock.ts";
import { parseStoredAlertEvent } from "../alert-event-schema.ts";
import { checkLimit, checkTime } from "../arguments.ts";
import { checkNewOutboxItem, checkTransition, interruptedError, type NewOutboxItem, type OutboxTransition } from "../outbox-record.ts";

/**
 * `outbox`: unique (dedupe_key, channel); the event as JSON checked against alertEventSchema on
 * write and on read. A row that fails on read is marked dead with the reason, never handed to a
 * channel and never allowed to stop the daemon. `sending_at` (migration 0003) is committed before
 * a send starts (synchronous=FULL: on disk before the first byte leaves), so a kill -9 during the
 * send leaves it set for markInterrupted to find.
 */

interface OutboxRow {
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
  in_doubt: number;
}

const PENDING = "sent_at IS NULL AND dead_at IS NULL";

export function sqliteOutboxStore(db: Database.Database, clock: Pick<Clock, "now">): OutboxStore {
  const insert = db.prepare<[string, string, string, string, number, number]>(
    `INSERT INTO outbox (dedupe_key, channel, kind, event, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (dedupe_key, channel) DO NOTHING`,
  );
  const dueRows = db.prepare<[number, number], OutboxRow>(`SELECT * FROM outbox WHERE ${PENDING} AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`);
  const listRows = db.prepare<{ prefix: string | null; limit: number }, OutboxRow>(
    `SELECT * FROM outbox WHERE @prefix IS NULL OR substr(dedupe_key, 1, length(@prefix)) = @prefix ORDER BY id DESC LIMIT @limit`,
  );
  const state = db.prepare<[number], { sentAt: number | null; deadAt: number | null }>("SELECT sent_at AS sentAt, dead_at AS deadAt FROM outbox WHERE id = ?");
  const setSending = db.prepare<[number, number]>("UPDATE outbox SET sending_at = ? WHERE id = ?");
  const openRows = db.prepare<[], OutboxRow>(`SELECT * FROM outbox WHERE sending_at IS NOT NULL AND ${PENDING} ORDER BY id`);
  const setInterrupted = db.prepare<[string, number]>("UPDATE outbox SET in_doubt = 1, sending_at = NULL, last_error = ?, attempts = attempts + 1 WHERE id = ?");
  const setSent = db.prepare<[number, number]>("UPDATE outbox SET sent_at = ?, sending_at = NULL, attempts = attempts + 1 WHERE id = ?");
  const setFailed = db.prepare<[string, number, number]>("UPDATE outbox SET last_error = ?, next_attempt_at = ?, sending_at = NULL, attempts = attempts + 1 WHERE id = ?");
  const setDead = db.prepare<[number, string, number]>("UPDATE outbox SET dead_at = ?, last_error = ?, sending_at = NULL WHERE id = ?");
  const buryCorrupt = db.prepare<[number, string, number]>(`UPDATE outbox SET dead_at = ?, last_error = ? WHERE id = ? AND ${PENDING}`);
  const pruneSettled = db.prepare<{ before: number }>("DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < @before) OR (dead_at IS NOT NULL AND dead_at < @before)");
  const depth = db.prepare<[], number>(`SELECT count(*) FROM outbox WHERE ${PENDING}`).pluck();

  const enqueue = db.transaction((items: readonly NewOutboxItem[], now: number) => {
    let added = 0;
    for (const i of items) added += insert.run(i.dedupeKey, i.channel, i.event.kind, JSON.stringify(i.event), now, now).changes;
    return added;
  });
  const interrupt = db.transaction((): OutboxRow[] => {
    const rows = openRows.all();
    for (const row of rows) setInterrupted.run(interruptedError(row.sending_at as number), row.id);
    return rows.map((row) => ({ ...row, in_doubt: 1, sending_at: null, last_error: interruptedError(row.sending_at as number), attempts: row.attempts + 1 }));
  });
  const transition = db.transaction((id: number, to: OutboxTransition, apply: () => void) => {
    checkTransition(id, to, state.get(id));
    apply();
  });

  /** Rows that parse become items; the others are marked dead (when still pending) and left out. */
  const readable = (rows: OutboxRow[], now: number): { items: OutboxItem[]; buried: number } => {
    const items: OutboxItem[] = [];
    let buried = 0;
    for (const row of rows) {
      const parsed = parseStoredAlertEvent(row.event);
      const error = !parsed.ok ? parsed.error : parsed.event.kind !== row.kind ? `stored kind ${row.kind} differs from the event's ${parsed.event.kind}` : null;
      if (parsed.ok && error === null) items.push(toItem(row, parsed.event));
      else buried += buryCorrupt.run(now, `outbox item ${row.id} is unreadable and was given up: ${error}`, row.id).changes;
    }
    return { items, buried };
  };

  return {
    async enqueue(items, now) {
      checkTime("now", now);
      return enqueue.immediate(items.map(checkNewOutboxItem), now);
    },
    async due(now, limit) {
      checkTime("now", now);
      checkLimit(limit);
      // Each pass that meets an unreadable row buries it, so the next pass reads past it.
      for (;;) {
        const { items, buried } = readable(dueRows.all(now, limit), now);
        if (buried === 0 || items.length === limit) return items;
      }
    },
    async markSending(id, now) {
      checkTime("now", now);
      transition.immediate(id, "sending", () => setSending.run(now, id));
    },
    async markInterrupted(now) {
      checkTime("now", now);
      return readable(interrupt.immediate(), now).items;
    },
    async markSent(id, now) {
      checkTime("now", now);
      transition.immediate(id, "sent", () => setSent.run(now, id));
    },
    async markFailed(id, error, nextAttemptAt) {
      checkTime("nextAttemptAt", nextAttemptAt);
      transition.immediate(id, "failed", () => setFailed.run(error, nextAttemptAt, id));
    },
    async markDead(id, now, error) {
      checkTime("now", now);
      transition.immediate(id, "dead", () => setDead.run(now, error, id));
    },
    async prune(settledBefore) {
      checkTime("settledBefore", settledBefore);
      return pruneSettled.run({ before: settledBefore }).changes;
    },
    async depth() {
      return depth.get() as number;
    },
    async list(filter) {
      checkLimit(filter.limit);
      const rows = listRows.all({ prefix: filter.dedupeKeyPrefix ?? null, limit: filter.limit });
      return readable(rows, clock.now()).items;
    },
  };
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
    inDoubt: row.in_doubt === 1,
  };
}
