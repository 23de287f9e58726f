/**
 * When to try a failed alert again: exponential backoff with jitter, so a service that is down
 * is not hammered and many queued alerts do not all come back at the same second. A service's
 * own wait (429 Retry-After) is honoured as given, plus a little jitter.
 */

export interface BackoffPolicy {
  /** Wait after the first failure. */
  initialMs: number;
  /** The longest wait between two attempts. */
  maxMs: number;
  factor: number;
  /** [0, 1): injected so tests are exact. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 15_000, maxMs: 10 * 60_000, factor: 2, random: Math.random };

const MIN_WAIT_MS = 1_000;

/** ms until the next attempt, after `failures` failed attempts (≥ 1). Always a whole number ≥ 1 s. */
export function retryDelay(policy: BackoffPolicy, failures: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) {
    return Math.max(MIN_WAIT_MS, Math.ceil(retryAfterMs + policy.random() * Math.min(1_000, retryAfterMs / 10)));
  }
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, failures - 1));
  // "Equal jitter": half fixed, half random, so the wait still grows with every failure.
  return Math.max(MIN_WAIT_MS, Math.round(ceiling / 2 + (policy.random() * ceiling) / 2));
}
