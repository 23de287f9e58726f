import type { MonotonicClock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { Fence, Lease, LeaseStore } from "./ports.ts";

export interface LeaderGuardOptions {
  leases: LeaseStore;
  clock: MonotonicClock;
  /** The lease's name ("leader"). */
  lease: string;
  /** This run of the watcher (VantageRecord.holder): a restarted watcher is a new holder. */
  holder: string;
  /** How long a grant lasts; renewed every ttl/3, so two renewals may fail before it lapses. */
  ttlMs: number;
  log: Pick<Logger, "info" | "warn" | "error">;
}

/** Why leadership ended: the lease ran out before a renewal came back, another holder has it, or stop(). */
export type LossReason = "expired" | "taken" | "stopped";

/**
 * Holds the leader lease for this watcher, and knows without asking anyone when it surely ended.
 *
 * A grant is trusted until validUntil = the monotonic time when the acquiring request STARTED +
 * ttl. The store granted it later than that, by its own clock, so the lease lasts at least that
 * long whatever the request's delay was; and nothing here reads the time of the answer. A process
 * stopped (SIGSTOP, a frozen VM) past validUntil therefore sees itself lost the moment it runs
 * again: isLeader() and fence() compare the clock at each call, before any write, and a watchdog
 * fires onLost at validUntil even while a renewal hangs. A renewal that fails (the store is down)
 * keeps leadership only until validUntil. Requests never overlap: the store must time out a
 * request that hangs, and until it does no other is sent.
 *
 * Writes only a leader may make carry fence(), so the store can refuse a stale one too.
 */
export class LeaderGuard {
  readonly #o: LeaderGuardOptions;
  #held: { token: number; validUntil: number } | null = null;
  #inflight: Promise<boolean> | null = null;
  #started = false;
  #running: AbortController | null = null;
  #watchdog: AbortController | null = null;
  #stopped = false;
  readonly #onGained = new Set<(fence: Fence) => void>();
  readonly #onLost = new Set<(why: LossReason) => void>();

  constructor(options: LeaderGuardOptions) {
    this.#o = options;
  }

  /** Starts acquiring, then renewing, every ttl/3 until stop(). Once per guard. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    const running = new AbortController();
    this.#running = running;
    void this.#run(running.signal);
  }

  /**
   * Stops renewing; when leading, fires onLost("stopped") and then releases the lease so another
   * watcher takes over at once. A request still out is waited for (at most one ttl) first, so
   * its grant cannot land after the release; one that hangs longer is abandoned (its answer is
   * ignored, and its grant lapses by itself).
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#running?.abort();
    // A request still out could grant the lease after the release: let it come back first (or give up on it after one ttl).
    const waitAtMost = new AbortController();
    await Promise.race([this.#inflight?.catch(() => false), this.#o.clock.sleep(this.#o.ttlMs, waitAtMost.signal).catch(() => undefined)]);
    waitAtMost.abort();
    if (this.#held !== null) this.#lose("stopped");
    try {
      await this.#o.leases.releaseLease(this.#o.lease, this.#o.holder);
    } catch (e) {
      this.#o.log.warn({ lease: this.#o.lease, error: errorText(e) }, "could not release the leader lease; it lapses by itself");
    }
  }

  isLeader(): boolean {
    this.#check();
    return this.#held !== null;
  }

  /** What a leader-only write presents, or null when this watcher does not (surely) lead now. */
  fence(): Fence | null {
    this.#check();
    return this.#held === null ? null : { name: this.#o.lease, holder: this.#o.holder, token: this.#held.token };
  }

  /** Calls `fn` each time this watcher becomes leader; returns the unsubscribe. */
  onGained(fn: (fence: Fence) => void): () => void {
    this.#onGained.add(fn);
    return () => this.#onGained.delete(fn);
  }

  /** Calls `fn` each time this watcher stops being leader; returns the unsubscribe. */
  onLost(fn: (why: LossReason) => void): () => void {
    this.#onLost.add(fn);
    return () => this.#onLost.delete(fn);
  }

  /** One acquire-or-renew request (the loop's step); joins the one in flight. Resolves to whether this watcher leads. */
  renew(): Promise<boolean> {
    if (this.#stopped) return Promise.resolve(false);
    this.#inflight ??= this.#request().finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  async #run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const started = this.#o.clock.monotonic();
      await this.renew().catch((e: unknown) => this.#o.log.error({ lease: this.#o.lease, error: errorText(e) }, "the leader lease loop failed a step"));
      try {
        await this.#o.clock.sleep(Math.max(0, started + this.#o.ttlMs / 3 - this.#o.clock.monotonic()), signal);
      } catch {
        return;
      }
    }
  }

  async #request(): Promise<boolean> {
    const started = this.#o.clock.monotonic();
    let lease: Lease | null;
    try {
      lease = await this.#o.leases.acquireLease(this.#o.lease, this.#o.holder, this.#o.ttlMs);
    } catch (e) {
      const leading = this.isLeader();
      const left = leading ? ` (leading for at most ${Math.round(this.#held!.validUntil - this.#o.clock.monotonic())} ms more)` : "";
      this.#o.log.warn({ lease: this.#o.lease, error: errorText(e) }, `could not ${leading ? "renew" : "acquire"} the leader lease${left}`);
      return leading;
    }
    if (this.#stopped) return false;
    this.#check();
    if (lease === null || lease.holder !== this.#o.holder) {
      if (this.#held !== null) this.#lose("taken");
      return false;
    }
    const validUntil = started + this.#o.ttlMs;
    if (validUntil <= this.#o.clock.monotonic()) return this.#held !== null; // the answer came too late to act on
    if (this.#held !== null && this.#held.token !== lease.token) this.#lose("taken");
    if (this.#held === null) {
      this.#held = { token: lease.token, validUntil };
      this.#armWatchdog();
      this.#o.log.info({ lease: this.#o.lease, token: lease.token }, "this watcher leads: it sends alerts and reboots");
      this.#emit(this.#onGained, { name: this.#o.lease, holder: this.#o.holder, token: lease.token });
    } else if (validUntil > this.#held.validUntil) {
      this.#held.validUntil = validUntil;
      this.#armWatchdog();
    }
    return true;
  }

  /** Ends leadership when its time is up: at each question, and by the watchdog. */
  #check(): void {
    if (this.#held !== null && this.#o.clock.monotonic() >= this.#held.validUntil) this.#lose("expired");
  }

  #armWatchdog(): void {
    this.#watchdog?.abort();
    if (this.#held === null) return;
    const watchdog = new AbortController();
    this.#watchdog = watchdog;
    this.#o.clock.sleep(this.#held.validUntil - this.#o.clock.monotonic(), watchdog.signal).then(
      () => {
        this.#check();
        // A timer may fire a fraction of a millisecond before the monotonic clock agrees: look again.
        if (this.#held !== null && this.#watchdog === watchdog) this.#armWatchdog();
      },
      () => undefined,
    );
  }

  #lose(why: LossReason): void {
    this.#held = null;
    this.#watchdog?.abort();
    this.#watchdog = null;
    const text = { expired: "the lease ran out before a renewal came back", taken: "another watcher holds the lease", stopped: "stopping" }[why];
    this.#o.log.warn({ lease: this.#o.lease, why }, `this watcher no longer leads: ${text}`);
    this.#emit(this.#onLost, why);
  }

  #emit<T>(listeners: ReadonlySet<(arg: T) => void>, arg: T): void {
    for (const fn of listeners) {
      try {
        fn(arg);
      } catch (e) {
        this.#o.log.error({ lease: this.#o.lease, error: errorText(e) }, "a leadership listener failed");
      }
    }
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
