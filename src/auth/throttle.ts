import type { Clock } from "../core/clock.ts";

/**
 * Throttling of sign-in attempts (RFC 4226 §7.3). Per account (persisted in the user record):
 * after `maxFailures` consecutive failed steps — password or code — the account is locked for
 * `lockMs`, or until `nodeward user unlock NAME`. Per client address (in memory): after
 * `maxFailures` failures within `windowMs`, that address is refused until the window ends.
 */

export interface AccountPolicy {
  maxFailures: number;
  lockMs: number;
}

export const ACCOUNT_POLICY: AccountPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

export interface IpPolicy {
  maxFailures: number;
  windowMs: number;
  /** Addresses tracked at once; the oldest are forgotten beyond it (memory stays bounded). */
  maxTracked: number;
}

export const IP_POLICY: IpPolicy = { maxFailures: 20, windowMs: 15 * 60_000, maxTracked: 10_000 };

/** The account's counters after one more failure. */
export function afterFailure(failedAttempts: number, now: number, policy: AccountPolicy = ACCOUNT_POLICY): { failedAttempts: number; lockedUntil: number | null } {
  const failed = failedAttempts + 1;
  return failed >= policy.maxFailures ? { failedAttempts: 0, lockedUntil: now + policy.lockMs } : { failedAttempts: failed, lockedUntil: null };
}

export function isLocked(lockedUntil: number | null, now: number): boolean {
  return lockedUntil !== null && lockedUntil > now;
}

export function lockMessage(name: string, until: number): string {
  const at = new Date(until).toISOString().slice(11, 16);
  return `Too many failed attempts: the account is locked until ${at} UTC. ` + `On the server, \`nodeward user unlock ${name}\` lifts the lock now.`;
}

export class IpThrottle {
  readonly #policy: IpPolicy;
  readonly #clock: Pick<Clock, "now">;
  readonly #seen = new Map<string, { since: number; failures: number }>();

  constructor(clock: Pick<Clock, "now">, policy: IpPolicy = IP_POLICY) {
    this.#clock = clock;
    this.#policy = policy;
  }

  /** When the address may try again, or null when it may now. */
  blockedUntil(ip: string): number | null {
    const e = this.#current(ip);
    return e !== undefined && e.failures >= this.#policy.maxFailures ? e.since + this.#policy.windowMs : null;
  }

  fail(ip: string): void {
    const e = this.#current(ip) ?? { since: this.#clock.now(), failures: 0 };
    e.failures++;
    this.#seen.delete(ip);
    this.#seen.set(ip, e);
    while (this.#seen.size > this.#policy.maxTracked) this.#seen.delete(this.#seen.keys().next().value as string);
  }

  #current(ip: string): { since: number; failures: number } | undefined {
    const e = this.#seen.get(ip);
    if (e !== undefined && this.#clock.now() - e.since >= this.#policy.windowMs) {
      this.#seen.delete(ip);
      return undefined;
    }
    return e;
  }
}
