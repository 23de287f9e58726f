import type { RewardClock } from "../alerts/event.ts";

/** The coin's timing rules (SmartCash: EXPIRED 65 min, NEW_START_REQUIRED 120 min after the last accepted ping). */
export interface ExpiryRule {
  expiredMinutes: number;
  newStartRequiredMinutes: number;
}

export const SMARTCASH_EXPIRY: ExpiryRule = { expiredMinutes: 65, newStartRequiredMinutes: 120 };

/**
 * The reward clock from the last good probe. nodeward cannot see the network's last accepted ping,
 * so the last good probe from outside stands in for it: conservative, since a ping needs the node up.
 */
export function rewardClock(lastGoodAt: number | null, rule: ExpiryRule): RewardClock {
  if (lastGoodAt === null) return { lastGoodAt: null, expiresAt: null, newStartAt: null };
  return { lastGoodAt, expiresAt: lastGoodAt + rule.expiredMinutes * 60_000, newStartAt: lastGoodAt + rule.newStartRequiredMinutes * 60_000 };
}

/** Whole minutes left before `at` (negative once passed); null when unknown. */
export function minutesLeft(at: number | null, now: number): number | null {
  return at === null ? null : Math.floor((at - now) / 60_000);
}
