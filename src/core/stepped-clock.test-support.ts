import { systemClock, type MonotonicClock } from "./clock.ts";

/** The system clock, whose wall time a test can step as NTP or `date -s` would; monotonic time and sleeps stay real. */
export interface SteppedClock extends MonotonicClock {
  /** Moves the wall clock by `ms` (negative = back). */
  step(ms: number): void;
}

export function steppedClock(): SteppedClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    monotonic: () => systemClock.monotonic(),
    sleep: (ms, signal) => systemClock.sleep(ms, signal),
    step: (ms) => {
      offset += ms;
    },
  };
}
