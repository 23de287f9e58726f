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
 * Spacing-based pacing shared by every concurrent call of one client. Requests are released one
 * after another, each at least 1000/rps ms after the previous one was *actually* released — not
 * after a slot reserved in advance, which a late timer (a busy event loop) would let bunch up — so
 * any one-second window holds at most floor(rps) + 1 requests: 29 at the default, below Vultr's
 * 30. A 429 pauses everybody through `pauseUntil`.
 */
export class Pacer {
  readonly intervalMs: number;
  private readonly clock: Clock;
  private last = Number.NEGATIVE_INFINITY;
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private turn: Promise<void> = Promise.resolve();

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

  /** Waits for this request's turn. Rejects with the signal's reason when aborted; the queue moves on. */
  take(signal?: AbortSignal): Promise<void> {
    const mine = this.turn.then(() => this.release(signal));
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  private async release(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      const at = Math.max(now, this.last + this.intervalMs, this.pausedUntil);
      if (at <= now) {
        this.last = now;
        return;
      }
      await this.clock.sleep(at - now, signal);
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
