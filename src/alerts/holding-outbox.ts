import type { AlertEvent } from "./event.ts";
import type { OutboxItem, OutboxStore } from "./outbox-store.ts";

/**
 * The outbox when its storage fails (disk full, I/O errors): alerts that cannot be stored are held
 * in memory and delivered from there, so a node that goes down while the disk is full is still
 * alerted; marks the storage refuses (sent, failed, dead) are held too, so a sent alert is not
 * sent again. At the start of each delivery pass (nothing is being sent then) the held marks and
 * alerts are written through once the storage takes writes again. Held alerts have negative ids.
 */

type Mark = { to: "sent"; at: number } | { to: "failed"; error: string; next: number } | { to: "dead"; at: number; error: string };

export interface HoldingOutboxOptions {
  isStorageFault(e: unknown): boolean;
  onFault(e: unknown): void;
  /** Alerts held at once; past it the oldest are given up (logged through onDropped). */
  maxHeld?: number;
  onDropped(item: OutboxItem): void;
}

export class HoldingOutbox implements OutboxStore {
  readonly #inner: OutboxStore;
  readonly #o: HoldingOutboxOptions;
  readonly #held = new Map<number, OutboxItem>();
  readonly #marks = new Map<number, Mark>();
  #nextId = -1;

  constructor(inner: OutboxStore, options: HoldingOutboxOptions) {
    this.#inner = inner;
    this.#o = options;
  }

  get holding(): boolean {
    return this.#held.size > 0 || this.#marks.size > 0;
  }

  async enqueue(items: readonly { dedupeKey: string; channel: string; event: AlertEvent }[], now: number): Promise<number> {
    if (!this.holding) {
      try {
        return await this.#inner.enqueue(items, now);
      } catch (e) {
        if (!this.#o.isStorageFault(e)) throw e;
        this.#o.onFault(e);
      }
    }
    let added = 0;
    for (const i of items) {
      if ([...this.#held.values()].some((h) => h.dedupeKey === i.dedupeKey && h.channel === i.channel)) continue;
      const id = this.#nextId--;
      this.#held.set(id, { id, dedupeKey: i.dedupeKey, channel: i.channel, event: i.event, createdAt: now, attempts: 0, nextAttemptAt: now, lastError: null, sentAt: null, deadAt: null, sendingAt: null, inDoubt: false });
      added++;
    }
    const max = this.#o.maxHeld ?? 10_000;
    for (const [id, item] of this.#held) {
      if (this.#held.size <= max) break;
      this.#held.delete(id);
      this.#o.onDropped(item);
    }
    return added;
  }

  async due(now: number, limit: number): Promise<OutboxItem[]> {
    await this.#writeThrough();
    let stored: OutboxItem[] = [];
    try {
      stored = (await this.#inner.due(now, limit + this.#marks.size)).filter((i) => !this.#marks.has(i.id));
    } catch (e) {
      if (!this.#o.isStorageFault(e)) throw e;
      this.#o.onFault(e);
    }
    const held = [...this.#held.values()].filter((i) => i.nextAttemptAt <= now);
    return [...stored, ...held].sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt).slice(0, limit);
  }

  /**
   * Records the attempt when the storage takes it. When it does not, the alert is sent all the same:
   * an alert during a disk-full outage matters more than knowing, after a kill -9 in that moment,
   * that it may have gone out twice.
   */
  async markSending(id: number, now: number): Promise<void> {
    const held = this.#held.get(id);
    if (held !== undefined) {
      held.sendingAt = now;
      return;
    }
    if (this.#marks.has(id)) return;
    try {
      await this.#inner.markSending(id, now);
    } catch (e) {
      if (!this.#o.isStorageFault(e)) throw e;
      this.#o.onFault(e);
    }
  }

  /** Attempts of the stored items cut off by an earlier process (held items live and die with this one). */
  async markInterrupted(now: number): Promise<OutboxItem[]> {
    try {
      return await this.#inner.markInterrupted(now);
    } catch (e) {
      if (!this.#o.isStorageFault(e)) throw e;
      this.#o.onFault(e);
      return [];
    }
  }

  markSent(id: number, now: number): Promise<void> {
    return this.#mark(id, { to: "sent", at: now });
  }

  markFailed(id: number, error: string, nextAttemptAt: number): Promise<void> {
    return this.#mark(id, { to: "failed", error, next: nextAttemptAt });
  }

  markDead(id: number, now: number, error: string): Promise<void> {
    return this.#mark(id, { to: "dead", at: now, error });
  }

  async depth(): Promise<number> {
    let stored = 0;
    try {
      stored = await this.#inner.depth();
    } catch (e) {
      // /metrics and the clock watch ask for the depth; a failing disk must not make them fail too.
      if (!this.#o.isStorageFault(e)) throw e;
      this.#o.onFault(e);
    }
    const settled = [...this.#marks.values()].filter((m) => m.to !== "failed").length;
    return Math.max(0, stored - settled) + this.#held.size;
  }

  async list(filter: { dedupeKeyPrefix?: string; limit: number }): Promise<OutboxItem[]> {
    const held = [...this.#held.values()].filter((i) => filter.dedupeKeyPrefix === undefined || i.dedupeKey.startsWith(filter.dedupeKeyPrefix)).reverse();
    return [...held, ...(await this.#inner.list(filter))].slice(0, filter.limit);
  }

  prune(settledBefore: number): Promise<number> {
    return this.#inner.prune(settledBefore);
  }

  async #mark(id: number, m: Mark): Promise<void> {
    const held = this.#held.get(id);
    if (held !== undefined) {
      if (m.to === "failed") Object.assign(held, { attempts: held.attempts + 1, lastError: m.error, nextAttemptAt: m.next, sendingAt: null });
      else this.#held.delete(id);
      return;
    }
    if (!this.#marks.has(id)) {
      try {
        await this.#apply(id, m);
        return;
      } catch (e) {
        if (!this.#o.isStorageFault(e)) throw e;
        this.#o.onFault(e);
      }
    }
    this.#marks.set(id, m);
  }

  #apply(id: number, m: Mark): Promise<void> {
    return m.to === "sent" ? this.#inner.markSent(id, m.at) : m.to === "failed" ? this.#inner.markFailed(id, m.error, m.next) : this.#inner.markDead(id, m.at, m.error);
  }

  /** Writes held marks, then held alerts, into the storage; stops at the first storage failure. */
  async #writeThrough(): Promise<void> {
    if (!this.holding) return;
    try {
      for (const [id, m] of this.#marks) {
        await this.#apply(id, m).catch((e: unknown) => {
          if (this.#o.isStorageFault(e)) throw e;
          // Not a storage failure: the row was settled or pruned meanwhile; nothing to write.
        });
        this.#marks.delete(id);
      }
      for (const [id, item] of this.#held) {
        await this.#inner.enqueue([{ dedupeKey: item.dedupeKey, channel: item.channel, event: item.event }], item.createdAt);
        this.#held.delete(id);
      }
    } catch (e) {
      if (!this.#o.isStorageFault(e)) throw e;
      this.#o.onFault(e);
    }
  }
}
