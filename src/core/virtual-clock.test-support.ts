import type { MonotonicClock } from "./clock.ts";

/**
 * Test support only: a MonotonicClock whose time moves only when the test says. `advance` wakes
 * sleepers in time order, letting promise callbacks run after each; `pause` moves time without
 * waking anyone, as a process stopped with SIGSTOP finds on SIGCONT: the clock jumped, and code
 * that runs before its timers fire already sees the new time.
 */
export class VirtualClock implements MonotonicClock {
  #wall: number;
  #mono = 1_000;
  #seq = 0;
  readonly #timers: { at: number; seq: number; wake: () => void }[] = [];

  constructor(start = Date.UTC(2026, 0, 5, 10)) {
    this.#wall = start;
  }

  now(): number {
    return this.#wall;
  }

  monotonic(): number {
    return this.#mono;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = {
        at: this.#mono + Math.max(0, ms),
        seq: this.#seq++,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.#timers.indexOf(timer);
        if (i >= 0) this.#timers.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#timers.push(timer);
    });
  }

  /** Sleepers not yet woken. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, waking every sleeper due by then in time order. */
  async advance(ms: number): Promise<void> {
    const end = this.#mono + ms;
    await settle();
    for (;;) {
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers[0];
      if (next === undefined || next.at > end) break;
      this.#timers.shift();
      this.#move(next.at - this.#mono);
      next.wake();
      await settle();
    }
    this.#move(end - this.#mono);
  }

  /** Moves time forward by `ms` and wakes nobody (a stopped process); the next `advance` wakes what is due. */
  pause(ms: number): void {
    this.#move(ms);
  }

  #move(ms: number): void {
    if (ms <= 0) return;
    this.#mono += ms;
    this.#wall += ms;
  }
}

/** Lets queued promise callbacks (and one macrotask turn) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
