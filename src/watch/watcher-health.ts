import type { AlertEvent, WatcherFault } from "../alerts/event.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";

/** The faults that last (raised, then cleared); the others are one-off notices. */
export const LASTING_FAULTS = ["storage", "inventory"] as const satisfies readonly WatcherFault[];

export interface ActiveFault {
  fault: WatcherFault;
  since: number;
  detail: string;
}

/**
 * The watcher's own faults: what it cannot do right now while it goes on watching (write its
 * database, list the fleet, …). Raising a fault logs it and alerts it once; clearing it logs and
 * alerts that too. /healthz and /metrics read the active ones, so a degraded watcher never looks
 * healthy. One-off notices (a clock jump) are alerted without becoming active.
 */
export class WatcherHealth {
  readonly #active = new Map<WatcherFault, ActiveFault>();
  readonly #clock: Pick<Clock, "now">;
  readonly #log: Logger;
  readonly #alerts: { enqueue(events: readonly AlertEvent[]): Promise<number> };

  constructor(deps: { clock: Pick<Clock, "now">; log: Logger; alerts: { enqueue(events: readonly AlertEvent[]): Promise<number> } }) {
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#alerts = deps.alerts;
  }

  /** Marks the fault active (alerting when it was not); a raised fault's detail is kept up to date. */
  async raise(fault: WatcherFault, detail: string): Promise<void> {
    const known = this.#active.get(fault);
    if (known !== undefined) {
      known.detail = detail;
      return;
    }
    const at = this.#clock.now();
    this.#active.set(fault, { fault, since: at, detail });
    this.#log.error({ fault, detail }, "watcher fault: nodeward goes on watching, degraded");
    await this.#send({ kind: "watcher-fault", at, fault, detail });
  }

  /** Clears the fault when active (alerting that it cleared). */
  async clear(fault: WatcherFault, detail: string): Promise<void> {
    const known = this.#active.get(fault);
    if (known === undefined) return;
    this.#active.delete(fault);
    const at = this.#clock.now();
    this.#log.warn({ fault, detail, sinceMs: at - known.since }, "watcher fault cleared");
    await this.#send({ kind: "watcher-fault-cleared", at, fault, since: known.since, detail });
  }

  /** Alerts a fault that has no lasting state (a clock jump, a database restored). */
  async notice(fault: WatcherFault, detail: string): Promise<void> {
    this.#log.error({ fault, detail }, "watcher fault");
    await this.#send({ kind: "watcher-fault", at: this.#clock.now(), fault, detail });
  }

  active(): ActiveFault[] {
    return [...this.#active.values()].map((f) => ({ ...f }));
  }

  has(fault: WatcherFault): boolean {
    return this.#active.has(fault);
  }

  /** An alert that cannot be queued must not take the watcher down with it: it is logged instead. */
  async #send(event: AlertEvent): Promise<void> {
    try {
      await this.#alerts.enqueue([event]);
    } catch (e) {
      this.#log.error({ event: event.kind, error: (e as Error).message }, "could not queue the watcher's own alert");
    }
  }
}
