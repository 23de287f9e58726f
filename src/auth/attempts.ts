import type { AccountPolicy } from "./throttle.ts";

/**
 * An account's attempt counter, reserve then settle (pure; the stores apply it in one transaction,
 * and the service to unknown user names in memory). A sign-in step takes a slot *before* its
 * credential is checked, and the slot counts as a failure at once: with a limit of 5, at most 5
 * checks of one account can be in flight or done before the lock, however many arrive together.
 * The slot that reaches the limit takes the lock. A right credential gives its slot back
 * (`release`); a wrong one keeps it, so there is nothing to write then; a finished sign-in clears
 * the count (`reset`). A process that dies while checking keeps the slot counted: a failure.
 *
 * Invariant: the lock is in force exactly while the count is at the limit. So when a slot given
 * back takes the count below it, the lock goes too; the count restarts after the lock has passed.
 */

export interface AttemptCounter {
  /** Failed steps plus steps being checked now. */
  failedAttempts: number;
  lockedUntil: number | null;
}

/** A taken slot (`lockedUntil`: the lock this slot took, if it was the one reaching the limit), or a refusal. */
export type Reservation = { ok: true; lockedUntil: number | null } | { ok: false; lockedUntil: number };

export function reserveAttempt(c: AttemptCounter, now: number, policy: AccountPolicy): { counter: AttemptCounter; reservation: Reservation } {
  if (c.lockedUntil !== null && c.lockedUntil > now) return { counter: c, reservation: { ok: false, lockedUntil: c.lockedUntil } };
  const failed = (c.lockedUntil === null ? c.failedAttempts : 0) + 1;
  const lockedUntil = failed >= policy.maxFailures ? now + policy.lockMs : null;
  return { counter: { failedAttempts: failed, lockedUntil }, reservation: { ok: true, lockedUntil } };
}

export function releaseAttempt(c: AttemptCounter, policy: AccountPolicy): AttemptCounter {
  const failed = Math.max(0, c.failedAttempts - 1);
  return { failedAttempts: failed, lockedUntil: failed < policy.maxFailures ? null : c.lockedUntil };
}

export const CLEARED: AttemptCounter = { failedAttempts: 0, lockedUntil: null };
