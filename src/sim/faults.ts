import type { Random } from "./prng.ts";

/** Misbehaviour the simulator can be told to show, to prove clients cope with it. */
export interface Faults {
  /** Added before every answer (default 0). */
  latencyMs: number;
  /** Probability 0..1 of answering 500 (seeded; default 0). */
  errorRate: number;
  /** The next N requests answer 429 regardless of rate (default 0); decrements. */
  rateLimitBurst: number;
  /** Probability 0..1 of destroying the socket without an answer (default 0). */
  dropRate: number;
  /** Answer 200 with a non-JSON body (default false). */
  garbage: boolean;
  /**
   * Counts write calls (POST/PUT/PATCH/DELETE that reach a route: authenticated, not rate-limited)
   * from 0 since set; at call #index: "error" = 500 without applying, "drop-before" = destroy the
   * socket without applying, "drop-after" = apply, then destroy the socket. Fires once, then clears.
   */
  failWrite?: { index: number; mode: WriteFailure };
}

export type WriteFailure = "error" | "drop-before" | "drop-after";

export const DEFAULT_FAULTS: Readonly<Faults> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  rateLimitBurst: 0,
  dropRate: 0,
  garbage: false,
});

/** Decides, request by request, which fault (if any) fires. Deterministic for a given seed and order. */
export class FaultInjector {
  readonly #random: Random;
  #faults: Faults = { ...DEFAULT_FAULTS };
  #writes = 0;

  constructor(random: Random, initial: Partial<Faults> = {}) {
    this.#random = random;
    this.set(initial);
  }

  /** Merges; a `failWrite` key (even undefined) replaces the armed write failure and restarts the count. */
  set(f: Partial<Faults>): void {
    const { failWrite, ...rest } = f;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    this.#faults = { ...this.#faults, ...defined };
    if ("failWrite" in f) {
      this.#faults.failWrite = failWrite ? { ...failWrite } : undefined;
      this.#writes = 0;
    }
  }

  clear(): void {
    this.#faults = { ...DEFAULT_FAULTS };
    this.#writes = 0;
  }

  current(): Faults {
    const f = this.#faults;
    return f.failWrite ? { ...f, failWrite: { ...f.failWrite } } : { ...f };
  }

  latencyMs(): number {
    return Math.max(0, this.#faults.latencyMs);
  }

  shouldDrop(): boolean {
    return this.#faults.dropRate > 0 && this.#random() < this.#faults.dropRate;
  }

  takeBurst(): boolean {
    if (this.#faults.rateLimitBurst <= 0) return false;
    this.#faults.rateLimitBurst -= 1;
    return true;
  }

  shouldError(): boolean {
    return this.#faults.errorRate > 0 && this.#random() < this.#faults.errorRate;
  }

  garbage(): boolean {
    return this.#faults.garbage;
  }

  /** Called once per write call that reaches a route; returns the failure to act out, if armed for it. */
  onWrite(): WriteFailure | null {
    const armed = this.#faults.failWrite;
    const index = this.#writes++;
    if (!armed || armed.index !== index) return null;
    this.#faults.failWrite = undefined;
    return armed.mode;
  }
}
