import type { Clock } from "../core/clock.ts";

/**
 * Throttling of sign-in attempts (RFC 4226 §7.3). Per account (persisted in the user record,
 * auth/attempts.ts): after `maxFailures` consecutive failed steps — password or code — the account
 * is locked for `lockMs`, or until `nodeward user unlock NAME`. Per client address (in memory):
 * after `maxFailures` failures within `windowMs`, that address is refused until the window ends.
 * Both count an attempt *before* its credential is checked (reserve, then settle): a check in
 * flight counts as a failure until it turns out right, so a burst of parallel requests gets no
 * more checks than the limit.
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

export function isLocked(lockedUntil: number | null, now: number): boolean {
  return lockedUntil !== null && lockedUntil > now;
}

export function lockMessage(name: string, until: number): string {
  const at = new Date(until).toISOString().slice(11, 16);
  return `Too many failed attempts: the account is locked until ${at} UTC. ` + `On the server, \`nodeward user unlock ${name}\` lifts the lock now.`;
}

/** One check's place in an address's count: given back with `release` when nothing wrong was tried. */
export interface IpSlot {
  readonly ip: string;
  readonly entry: object;
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

  /** A slot for one check, counted as a failure from now on; null when the address must wait. */
  reserve(ip: string): IpSlot | null {
    if (this.blockedUntil(ip) !== null) return null;
    const e = this.#current(ip) ?? { since: this.#clock.now(), failures: 0 };
    e.failures++;
    this.#seen.delete(ip);
    this.#seen.set(ip, e);
    while (this.#seen.size > this.#policy.maxTracked) this.#seen.delete(this.#seen.keys().next().value as string);
    return { ip, entry: e };
  }

  /** The check was right, or never made: the slot no longer counts (unless its window has gone meanwhile). */
  release(slot: IpSlot): void {
    const e = this.#seen.get(slot.ip);
    if (e === slot.entry) e.failures = Math.max(0, e.failures - 1);
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
