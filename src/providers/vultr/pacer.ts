import { AppError } from "../../core/errors.ts";
import type { Clock } from "../../core/clock.ts";

/** Vultr answers 429 above 30 requests per second per source IP. */
export const VULTR_LIMIT_PER_SECOND = 30;
export const DEFAULT_REQUESTS_PER_SECOND = 28;

export interface PacerOptions {
  clock: Clock;
  /** Requests per second. Default 28. */
  maxRequestsPerSecond?: number;
  /** Rates at or above this are refused. Default 30 (Vultr); VultrHttp lifts it only for a loopback simulator. */
  limitPerSecond?: number;
}

/**
 * Spacing-based pacing shared by every concurrent call of one client: each request takes the next
 * slot `max(now, last + 1000/rps)`, so there are no bursts and any one-second window holds at most
 * floor(rps) + 1 requests — 29 at the default, below Vultr's 30. A 429 pauses everybody through
 * `pauseUntil`; callers already waiting re-queue behind the pause.
 */
export class Pacer {
  readonly intervalMs: number;
  private readonly clock: Clock;
  private last = Number.NEGATIVE_INFINITY;
  private pausedUntil = Number.NEGATIVE_INFINITY;

  constructor(options: PacerOptions) {
    const rps = options.maxRequestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
    const limit = options.limitPerSecond ?? VULTR_LIMIT_PER_SECOND;
    if (!Number.isFinite(rps) || rps <= 0 || rps >= limit) {
      throw new AppError(
        "CONFIG_INVALID",
        `maxRequestsPerSecond must be above 0 and below ${limit} (Vultr's limit per source IP is ${VULTR_LIMIT_PER_SECOND}); got ${rps}`,
        { hint: `use ${DEFAULT_REQUESTS_PER_SECOND} or less; other tools calling Vultr from the same IP share the limit` },
      );
    }
    this.clock = options.clock;
    this.intervalMs = 1000 / rps;
  }

  /** Waits for this request's slot. Rejects with the signal's reason when aborted (the slot is not given back). */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      const slot = Math.max(now, this.last + this.intervalMs, this.pausedUntil);
      this.last = slot;
      if (slot > now) await this.clock.sleep(slot - now, signal);
      // A pause set while this caller slept (another request got a 429) moves it behind the pause.
      if (this.pausedUntil <= slot) return;
    }
  }

  /** Nobody is sent before `t` (epoch ms). Pauses only extend, never shorten. */
  pauseUntil(t: number): void {
    if (t > this.pausedUntil) this.pausedUntil = t;
  }

  /** When the current pause ends (epoch ms), or -Infinity. */
  get pausedUntilMs(): number {
    return this.pausedUntil;
  }
}
