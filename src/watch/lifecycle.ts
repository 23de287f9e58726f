import type { WatcherFault } from "../alerts/event.ts";

/** A fault to alert once the daemon runs again (it happened while the old one was ending). */
export interface StartNotice {
  fault: WatcherFault;
  detail: string;
}

/** How one run of the daemon ended. */
export type DaemonOutcome =
  /** Stopped on request (SIGTERM): exit 0. */
  | { kind: "stopped" }
  /** Start again in this process on a new connection, e.g. after the database file was restored; `recover`: set the database aside first. */
  | { kind: "restart"; reason: string; recover: boolean; notices: StartNotice[] }
  /** Cannot go on: exit non-zero so the supervisor restarts the process. */
  | { kind: "failed"; reason: string };

/**
 * One run's end, decided once: a stop request, a restart request or a failure from any loop.
 * Every loop of the daemon runs on `signal`, which aborts at the first of them, so no loop is
 * left running while the others have ended (never a live process that does nothing).
 */
export class Lifecycle {
  readonly #ac = new AbortController();
  #outcome: DaemonOutcome | null = null;

  constructor(stop: AbortSignal) {
    if (stop.aborted) this.#end({ kind: "stopped" });
    else stop.addEventListener("abort", () => this.#end({ kind: "stopped" }), { once: true });
  }

  get signal(): AbortSignal {
    return this.#ac.signal;
  }

  /** null while running. */
  get outcome(): DaemonOutcome | null {
    return this.#outcome;
  }

  restart(reason: string, opts: { recover?: boolean; notices?: StartNotice[] } = {}): void {
    this.#end({ kind: "restart", reason, recover: opts.recover ?? false, notices: opts.notices ?? [] });
  }

  fail(reason: string): void {
    this.#end({ kind: "failed", reason });
  }

  #end(o: DaemonOutcome): void {
    if (this.#outcome !== null) return;
    this.#outcome = o;
    this.#ac.abort();
  }
}
