/** Time, injected: pure cores read it through this, tests drive it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A clock that also measures elapsed time no step of the system clock can move (NTP, `date -s`, a
 * resumed VM): schedules and the durations that gate actions read `monotonic`, records and display
 * read `now`. `sleep` waits on the monotonic clock too (Node's timers do).
 */
export interface MonotonicClock extends Clock {
  /** Milliseconds from an arbitrary origin; never goes back. Only differences mean anything. */
  monotonic(): number;
}

export const systemClock: MonotonicClock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};
