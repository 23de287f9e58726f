import type { MonotonicClock } from "./clock.ts";

/**
 * The watch daemon's clock: the system clock's time at start, advanced by the monotonic clock. A
 * step of the system clock (NTP's first sync on a fresh VM, an operator's `date -s`, a resumed
 * snapshot) does not move it, so no escalation, reboot or retry is brought forward or held back,
 * and every time the daemon records stays consistent with the others.
 *
 * The system clock is still the reference for what the records should say: `drift` tells how far
 * the two have come apart, and `realign` adopts the system clock's time again, which the daemon
 * does only when no duration that gates an action is running (see watch/clock-watch.ts).
 */
export class SteadyClock implements MonotonicClock {
  readonly #base: MonotonicClock;
  #anchorWall: number;
  #anchorMono: number;

  constructor(base: MonotonicClock) {
    this.#base = base;
    this.#anchorWall = base.now();
    this.#anchorMono = base.monotonic();
  }

  now(): number {
    return Math.round(this.#anchorWall + (this.#base.monotonic() - this.#anchorMono));
  }

  monotonic(): number {
    return this.#base.monotonic();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.#base.sleep(ms, signal);
  }

  /** The system clock minus this clock, in ms: 0 until the system clock is stepped (or slewed far). */
  drift(): number {
    return this.#base.now() - this.now();
  }

  /**
   * Never reads earlier than `t` from now on (a record written before a restart lies in the future
   * when the system clock went back meanwhile): the clock moves forward to it when it is behind.
   * Returns how far it moved (0 when it did not).
   */
  notBefore(t: number): number {
    const behind = t - this.now();
    if (behind <= 0) return 0;
    this.#anchorWall += behind;
    return behind;
  }

  /** Adopts the system clock's time again; returns the step applied (ms, negative = back). */
  realign(): number {
    const step = this.drift();
    this.#anchorWall = this.#base.now();
    this.#anchorMono = this.#base.monotonic();
    return step;
  }
}
