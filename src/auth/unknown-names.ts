import { createHash } from "node:crypto";
import { reserveAttempt, type AttemptCounter, type Reservation } from "./attempts.ts";
import type { AccountPolicy } from "./throttle.ts";

/**
 * Attempt counters for user names that are not accounts, in memory, so that an unknown name is
 * "locked" after the same failures, for the same time and with the same answer as a real account:
 * the 423 lockout cannot tell which names exist. Names are kept as SHA-256 digests (an attacker's
 * 16 KB name costs 32 bytes); at most `maxTracked` of them, the least recently tried forgotten
 * first, so memory stays bounded.
 */
export class UnknownNames {
  readonly #policy: AccountPolicy;
  readonly #maxTracked: number;
  readonly #seen = new Map<string, AttemptCounter>();

  constructor(policy: AccountPolicy, maxTracked = 10_000) {
    this.#policy = policy;
    this.#maxTracked = maxTracked;
  }

  /** Takes a slot, as the store does for an account; an unknown name never gives one back. */
  reserve(name: string, now: number): Reservation {
    const key = digest(name);
    const { counter, reservation } = reserveAttempt(this.#seen.get(key) ?? { failedAttempts: 0, lockedUntil: null }, now, this.#policy);
    this.#seen.delete(key);
    this.#seen.set(key, counter);
    while (this.#seen.size > this.#maxTracked) this.#seen.delete(this.#seen.keys().next().value as string);
    return reservation;
  }

  /** Until when the name is "locked", or null. */
  lockedUntil(name: string, now: number): number | null {
    const until = this.#seen.get(digest(name))?.lockedUntil ?? null;
    return until !== null && until > now ? until : null;
  }
}

function digest(name: string): string {
  return createHash("sha256").update(name).digest("base64");
}
