import type { OutboxItem, OutboxStore } from "../../alerts/outbox-store.ts";
import { checkLimit, checkTime } from "../arguments.ts";
import { checkNewOutboxItem, checkTransition, interruptedError, type OutboxTransition } from "../outbox-record.ts";

/** Items by id (1, 2, 3, … never reused), with the (dedupeKey, channel) pairs already taken. */
export function memoryOutboxStore(): OutboxStore {
  const items = new Map<number, OutboxItem>();
  const taken = new Set<string>();
  let lastId = 0;

  const pending = (i: OutboxItem) => i.sentAt === null && i.deadAt === null;
  const move = (id: number, to: OutboxTransition, apply: (i: OutboxItem) => void) => {
    const item = items.get(id);
    checkTransition(id, to, item);
    apply(item as OutboxItem);
  };

  return {
    async enqueue(batch, now) {
      checkTime("now", now);
      const checked = batch.map(checkNewOutboxItem);
      let added = 0;
      for (const { dedupeKey, channel, event } of checked) {
        const pair = JSON.stringify([dedupeKey, channel]);
        if (taken.has(pair)) continue;
        taken.add(pair);
        const id = ++lastId;
        items.set(id, { id, dedupeKey, channel, event, createdAt: now, attempts: 0, nextAttemptAt: now, lastError: null, sentAt: null, deadAt: null, sendingAt: null, inDoubt: false });
        added++;
      }
      return added;
    },
    async due(now, limit) {
      checkTime("now", now);
      checkLimit(limit);
      return [...items.values()]
        .filter((i) => pending(i) && i.nextAttemptAt <= now)
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id)
        .slice(0, limit)
        .map((i) => structuredClone(i));
    },
    async markSending(id, now) {
      checkTime("now", now);
      move(id, "sending", (i) => {
        i.sendingAt = now;
      });
    },
    async markInterrupted(now) {
      checkTime("now", now);
      const cut = [...items.values()].filter((i) => pending(i) && i.sendingAt !== null).sort((a, b) => a.id - b.id);
      for (const i of cut) {
        i.lastError = interruptedError(i.sendingAt as number);
        i.sendingAt = null;
        i.inDoubt = true;
        i.attempts++;
      }
      return cut.map((i) => structuredClone(i));
    },
    async markSent(id, now) {
      checkTime("now", now);
      move(id, "sent", (i) => {
        i.sentAt = now;
        i.sendingAt = null;
        i.attempts++;
      });
    },
    async markFailed(id, error, nextAttemptAt) {
      checkTime("nextAttemptAt", nextAttemptAt);
      move(id, "failed", (i) => {
        i.lastError = error;
        i.nextAttemptAt = nextAttemptAt;
        i.sendingAt = null;
        i.attempts++;
      });
    },
    async markDead(id, now, error) {
      checkTime("now", now);
      move(id, "dead", (i) => {
        i.deadAt = now;
        i.sendingAt = null;
        i.lastError = error;
      });
    },
    async prune(settledBefore) {
      checkTime("settledBefore", settledBefore);
      let n = 0;
      for (const [id, i] of items) {
        const settled = i.sentAt ?? i.deadAt;
        if (settled === null || settled >= settledBefore) continue;
        items.delete(id);
        taken.delete(JSON.stringify([i.dedupeKey, i.channel]));
        n++;
      }
      return n;
    },
    async depth() {
      return [...items.values()].filter(pending).length;
    },
    async list(filter) {
      checkLimit(filter.limit);
      const prefix = filter.dedupeKeyPrefix;
      return [...items.values()]
        .filter((i) => prefix === undefined || i.dedupeKey.startsWith(prefix))
        .sort((a, b) => b.id - a.id)
        .slice(0, filter.limit)
        .map((i) => structuredClone(i));
    },
  };
}
