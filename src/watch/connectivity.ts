import type { AlertEvent } from "../alerts/event.ts";
import type { MonotonicClock } from "../core/clock.ts";

/**
 * The watcher's own connectivity. When every node fails at once the likelier cause is the
 * watcher's network: a self-check decides, and while it fails node failures are not counted.
 */
export class Connectivity {
  readonly #check: () => Promise<boolean>;
  readonly #clock: MonotonicClock;
  #offlineSince: number | null = null;
  #lastCheck: { at: number; ok: boolean } | null = null;
  readonly cacheMs: number;

  constructor(check: () => Promise<boolean>, clock: MonotonicClock, cacheMs = 10_000) {
    this.#check = check;
    this.#clock = clock;
    this.cacheMs = cacheMs;
  }

  get offline(): boolean {
    return this.#offlineSince !== null;
  }

  /** Returns the event when the watcher goes offline or comes back, else null. */
  async assess(everyoneFails: boolean, someoneAnswers: boolean): Promise<AlertEvent | null> {
    const now = this.#clock.now();
    if (this.#offlineSince === null) {
      if (!everyoneFails || (await this.#selfCheck())) return null;
      this.#offlineSince = now;
      return { kind: "watcher-offline", at: now, detail: "every node failed at once and the watcher's own connectivity check failed" };
    }
    if (!someoneAnswers && !(await this.#selfCheck())) return null;
    const since = this.#offlineSince;
    this.#offlineSince = null;
    return { kind: "watcher-online", at: now, offlineForMs: now - since };
  }

  async #selfCheck(): Promise<boolean> {
    // The cache is timed on the monotonic clock: a step of the system clock must not make a stale answer last.
    const mono = this.#clock.monotonic();
    if (this.#lastCheck !== null && mono - this.#lastCheck.at < this.cacheMs) return this.#lastCheck.ok;
    const ok = await this.#check().catch(() => false);
    this.#lastCheck = { at: mono, ok };
    return ok;
  }
}
