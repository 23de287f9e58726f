import type { Logger } from "../core/logger.ts";
import type { WatcherFault } from "../alerts/event.ts";

/** What the clock watch needs of the daemon's steady clock (core/steady-clock.ts). */
export interface SteadyTime {
  now(): number;
  drift(): number;
  realign(): number;
}

export interface ClockWatchDeps {
  clock: SteadyTime;
  /** A step of the system clock larger than this is a jump (NTP slews stay far below it). */
  toleranceMs: number;
  /** Nothing that gates an action is being timed now: no node failing, no alert waiting, no recent reboot. */
  quiet: () => Promise<boolean>;
  notice: (fault: WatcherFault, detail: string) => Promise<void>;
  log: Logger;
}

/**
 * Watches the system clock against the daemon's steady clock. A jump is logged and alerted; the
 * daemon goes on timing on its monotonic clock, so the jump brings no escalation or reboot forward
 * and holds none back. Once nothing is being timed, the steady clock adopts the system clock's
 * time again, so records and the dashboard show the system's time.
 */
export class ClockWatch {
  readonly #d: ClockWatchDeps;
  /** The drift already reported: a jump is reported once, not at every check. */
  #reported = 0;

  constructor(deps: ClockWatchDeps) {
    this.#d = deps;
  }

  async check(): Promise<void> {
    const d = this.#d;
    const drift = d.clock.drift();
    const step = drift - this.#reported;
    if (Math.abs(step) > d.toleranceMs) {
      this.#reported = drift;
      const way = step > 0 ? "forward" : "back";
      await d.notice(
        "clock-jump",
        `the system clock jumped ${way} by ${jumpText(Math.abs(step))} (it now reads ${new Date(d.clock.now() + drift).toISOString()}); ` +
          "escalations, reboots and retries keep to the time that really passed",
      );
    }
    if (Math.abs(drift) >= d.toleranceMs / 4 && (await d.quiet())) {
      const applied = d.clock.realign();
      this.#reported = 0;
      d.log.warn({ stepMs: applied }, "the watcher adopted the system clock's time again (nothing was being timed)");
    }
  }
}

/** A jump's size, rounded to the nearest unit shown ("45 s", "10 min", "2 h 0 min"): never floored, a step of 10 minutes seen 0.3 s short is still 10 min. */
export function jumpText(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
