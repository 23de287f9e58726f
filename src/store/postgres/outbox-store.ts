import type { OutboxItem, OutboxStore } from "../../alerts/outbox-store.ts";
import type { Clock } from "../../core/clock.ts";
import type { Fence } from "../../fleet/ports.ts";
import { checkLimit, checkTime } from "../arguments.ts";
import { checkNewOutboxItem, checkTransition, interruptedError, type OutboxTransition } from "../outbox-record.ts";
import type { Db, Query } from "./db.ts";
import { checkFence } from "./fence.ts";
import { readable, SELECT_ITEM, type OutboxRow } from "./outbox-rows.ts";

/**
 * `outbox`: unique (dedupe_key, channel); the event as JSON checked against alertEventSchema on
 * write and on read (outbox-rows.ts: a row that fails on read is marked dead, never sent). Each
 * transition locks the item's row (FOR UPDATE) before checking it is still pending.
 *
 * With a fence (fence.ts), enqueue and markSending succeed only while the writer holds the
 * leader's lease, checked in the same transaction: a stale leader can neither queue an alert
 * nor start sending one. The other transitions close an attempt already started under the
 * fence and are not fenced: the outcome of a send that happened must be recorded.
 */

const PENDING = "sent_at IS NULL AND dead_at IS NULL";

export function postgresOutboxStore(db: Db, clock: Pick<Clock, "now">, fence: () => Fence | null): OutboxStore {
  const transition = (id: number, to: OutboxTransition, apply: (q: Query) => Promise<unknown>) =>
    db.write(async (q) => {
      const { rows } = await q<{ sentAt: number | null; deadAt: number | null }>('SELECT sent_at AS "sentAt", dead_at AS "deadAt" FROM outbox WHERE id = $1 FOR UPDATE', [id]);
      checkTransition(id, to, rows[0]);
      if (to === "sending") await checkFence(q, fence(), "outbox.markSending");
      await apply(q);
    });
  /** Each pass that meets an unreadable row buries it, so the next pass reads past it. */
  const items = async (sql: string, params: unknown[], now: number, limit: number): Promise<OutboxItem[]> => {
    for (;;) {
      const found = await readable(db, (await db.query<OutboxRow>(sql, params)).rows, now);
      if (found.buried === 0 || found.items.length === limit) return found.items;
    }
  };

  return {
    async enqueue(batch, now) {
      checkTime("now", now);
      const checked = batch.map(checkNewOutboxItem);
      return db.write(async (q) => {
        await checkFence(q, fence(), "outbox.enqueue");
        if (checked.length === 0) return 0;
        const inserted = await q(
          `INSERT INTO outbox (dedupe_key, channel, kind, event, created_at, next_attempt_at)
           SELECT k, c, kind, e, $5, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::json[]) WITH ORDINALITY AS t(k, c, kind, e, ord)
           ORDER BY ord
           ON CONFLICT (dedupe_key, channel) DO NOTHING`,
          [checked.map((i) => i.dedupeKey), checked.map((i) => i.channel), checked.map((i) => i.event.kind), checked.map((i) => JSON.stringify(i.event)), now],
        );
        return inserted.rowCount ?? 0;
      });
    },
    async due(now, limit) {
      checkTime("now", now);
      checkLimit(limit);
      return items(`${SELECT_ITEM} WHERE ${PENDING} AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`, [now, limit], now, limit);
    },
    async markSending(id, now) {
      checkTime("now", now);
      await transition(id, "sending", (q) => q("UPDATE outbox SET sending_at = $1 WHERE id = $2", [now, id]));
    },
    async markInterrupted(now) {
      checkTime("now", now);
      const cut = await db.write(async (q) => {
        // Fenced: a stale leader's pass must not mark the new leader's sends in flight as cut off.
        await checkFence(q, fence(), "outbox.markInterrupted");
        const open = (await q<OutboxRow>(`${SELECT_ITEM} WHERE sending_at IS NOT NULL AND ${PENDING} ORDER BY id FOR UPDATE`)).rows;
        const errors = open.map((r) => interruptedError(r.sending_at as number));
        await q(
          `UPDATE outbox o SET in_doubt = true, sending_at = NULL, last_error = t.error, attempts = o.attempts + 1
           FROM unnest($1::bigint[], $2::text[]) AS t(id, error) WHERE o.id = t.id`,
          [open.map((r) => r.id), errors],
        );
        return open.map((r, i) => ({ ...r, in_doubt: true, sending_at: null, last_error: errors[i] ?? null, attempts: r.attempts + 1 }));
      });
      return (await readable(db, cut, now)).items;
    },
    async markSent(id, now) {
      checkTime("now", now);
      await transition(id, "sent", (q) => q("UPDATE outbox SET sent_at = $1, sending_at = NULL, attempts = attempts + 1 WHERE id = $2", [now, id]));
    },
    async markFailed(id, error, nextAttemptAt) {
      checkTime("nextAttemptAt", nextAttemptAt);
      await transition(id, "failed", (q) =>
        q("UPDATE outbox SET last_error = $1, next_attempt_at = $2, sending_at = NULL, attempts = attempts + 1 WHERE id = $3", [error, nextAttemptAt, id]),
      );
    },
    async markDead(id, now, error) {
      checkTime("now", now);
      await transition(id, "dead", (q) => q("UPDATE outbox SET dead_at = $1, last_error = $2, sending_at = NULL WHERE id = $3", [now, error, id]));
    },
    async prune(settledBefore) {
      checkTime("settledBefore", settledBefore);
      const r = await db.query("DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < $1) OR (dead_at IS NOT NULL AND dead_at < $1)", [settledBefore]);
      return r.rowCount ?? 0;
    },
    async depth() {
      return (await db.query<{ n: number }>(`SELECT count(*) AS n FROM outbox WHERE ${PENDING}`)).rows[0]?.n ?? 0;
    },
    async list(filter) {
      checkLimit(filter.limit);
      const now = clock.now();
      return items(`${SELECT_ITEM} WHERE $1::text IS NULL OR starts_with(dedupe_key, $1::text) ORDER BY id DESC LIMIT $2`, [filter.dedupeKeyPrefix ?? null, filter.limit], now, filter.limit);
    },
  };
}
