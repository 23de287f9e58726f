import type { Clock } from "../../core/clock.ts";

/**
 * A manual Clock for this folder's tests: time moves only when a test runs the timers. Sleepers
 * wake in time order, each one after the promise callbacks of the previous one have run.
 */
export class TestClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];
  /** Every sleep requested, in ms, in order. */
  readonly sleeps: number[] = [];

  constructor(start = 1_700_000_000_000) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Number of sleepers not yet woken. */
  get pending(): number {
    return this.timers.length;
  }

  /** Runs timers in time order until none is left (or `limit` wake-ups), letting promises settle between. */
  async runAll(limit = 100_000): Promise<void> {
    await settle();
    for (let n = 0; n < limit && this.timers.length > 0; n++) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (next === undefined) break;
      this.t = Math.max(this.t, next.at);
      next.wake();
      await settle();
    }
  }

  /** Moves time forward by `ms`, waking every sleeper due by then. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await settle();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (next === undefined || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.wake();
      await settle();
    }
    this.t = end;
  }
}

/** Lets queued promise callbacks (and one macrotask turn) run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
