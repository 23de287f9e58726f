/**
 * Deadlines for network probes without a timer each. The watch daemon runs some 170 probes a
 * second, every one with a deadline it almost never reaches; a `setTimeout` per probe (plus its
 * refresh and clear) measurably raised the daemon's CPU, and the timers dragged the probes'
 * sockets into V8's old generation, which then grew by some 50 MB between major GCs. Here one
 * timer per process sweeps the deadlines that are armed, at a resolution of DEADLINE_RESOLUTION_MS
 * (a deadline fires at most that much late, never early), and stops when none is armed.
 */

export const DEADLINE_RESOLUTION_MS = 50;

export interface Deadline {
  /** Starts the countdown again from now (the next phase of a handshake). */
  restart(): void;
  /** Disarms it; `expired` will not be called. */
  cancel(): void;
}

interface Armed {
  at: number;
  ms: number;
  expired: () => void;
}

const armed = new Set<Armed>();
let sweeper: NodeJS.Timeout | undefined;

function sweep(): void {
  const now = performance.now();
  for (const a of armed) {
    if (a.at > now) continue;
    armed.delete(a);
    a.expired();
  }
  if (armed.size === 0 && sweeper !== undefined) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/** Calls `expired` once, `ms` after now (or after the last restart), unless cancelled first. */
export function deadline(ms: number, expired: () => void): Deadline {
  const a: Armed = { at: performance.now() + ms, ms, expired };
  armed.add(a);
  if (sweeper === undefined) sweeper = setInterval(sweep, DEADLINE_RESOLUTION_MS);
  let live = true;
  return {
    restart: () => {
      if (!live) return;
      a.at = performance.now() + a.ms;
    },
    cancel: () => {
      live = false;
      armed.delete(a);
    },
  };
}
