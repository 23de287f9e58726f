import type { Clock } from "../core/clock.ts";

/**
 * Vultr's limit: at most `limit` requests in any sliding window of `windowMs` per source IP.
 * Only admitted requests count, so a client that backs off gets through again.
 */
export class SlidingWindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  readonly #admitted = new Map<string, number[]>();

  constructor(limit: number, windowMs: number, clock: Clock) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#clock = clock;
  }

  tryAcquire(key: string): boolean {
    const now = this.#clock.now();
    let times = this.#admitted.get(key);
    if (!times) {
      times = [];
      this.#admitted.set(key, times);
    }
    while (times.length > 0 && (times[0] as number) <= now - this.#windowMs) times.shift();
    if (times.length >= this.#limit) return false;
    times.push(now);
    return true;
  }
}
