import type { MonotonicClock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { DaemonOutcome, Lifecycle } from "./lifecycle.ts";

/** A loop of the daemon that runs every so often; its failures are logged and never end the daemon. */
export interface Periodic {
  what: string;
  /** A function when the pace changes (faster retries while something is failing). */
  everyMs: number | (() => number);
  run: (signal: AbortSignal) => Promise<void>;
  /** Run once before the first wait too. */
  atStart?: boolean;
}

export interface DaemonParts {
  clock: MonotonicClock;
  log: Logger;
  lifecycle: Lifecycle;
  /** Loads the saved states (open incidents continue, countdowns resume); may end the run through the lifecycle (a damaged store). */
  load: () => Promise<void>;
  /** Reads the fleet and hands it to the engine and the scheduler; never throws for an unreachable provider. */
  refresh: (signal: AbortSignal) => Promise<void>;
  scheduler: { run(signal: AbortSignal): Promise<void>; heartbeat(): number };
  dispatcher: { run(signal: AbortSignal): Promise<void>; flush(timeoutMs: number): Promise<{ remaining: number }> };
  periodic: readonly Periodic[];
  /** The probe scheduler not turning for this long means the daemon is stuck: it ends so its supervisor restarts it. */
  stallMs: number;
  /** Before ending: a last word about the failure to every channel (best effort). */
  onFailure?: (reason: string) => Promise<void>;
}

/**
 * The daemon's loops under one lifecycle: the probe scheduler and the alert sender (supervised:
 * if either ends or throws, the run fails), the periodic loops (inventory, firewall check,
 * escalations, remediation, compaction, storage retries, clock and database checks), and a
 * watchdog that fails the run when the scheduler stops turning. On any end, every loop stops,
 * buffered results are handed over and the alert outbox is flushed briefly.
 */
export async function runDaemon(p: DaemonParts, onReady: () => void = () => {}): Promise<DaemonOutcome> {
  const { lifecycle: life, log } = p;
  const signal = life.signal;
  await p.load();
  if (life.outcome === null) await p.refresh(signal);
  if (life.outcome === null) onReady();

  const supervised = (what: string, loop: Promise<void>) =>
    loop.then(
      () => {
        if (!signal.aborted) life.fail(`the ${what} stopped`);
      },
      (e: unknown) => {
        if (!signal.aborted) life.fail(`the ${what} failed: ${(e as Error).message}`);
      },
    );
  const every = async (t: Periodic) => {
    if (t.atStart) await t.run(signal).catch((e: unknown) => log.error({ error: (e as Error).message }, `${t.what} failed`));
    while (!signal.aborted) {
      await p.clock.sleep(typeof t.everyMs === "number" ? t.everyMs : t.everyMs(), signal).catch(() => undefined);
      if (signal.aborted) return;
      await t.run(signal).catch((e: unknown) => log.error({ error: (e as Error).message }, `${t.what} failed`));
    }
  };
  const watchdog = async () => {
    const checkMs = Math.min(5_000, p.stallMs / 4);
    while (!signal.aborted) {
      await p.clock.sleep(checkMs, signal).catch(() => undefined);
      const still = p.clock.monotonic() - p.scheduler.heartbeat();
      if (!signal.aborted && still > p.stallMs) life.fail(`the probe scheduler has not turned for ${Math.round(still / 1000)} s`);
    }
  };

  if (life.outcome === null) {
    await Promise.all([
      supervised("probe scheduler", p.scheduler.run(signal)),
      supervised("alert sender", p.dispatcher.run(signal)),
      ...p.periodic.map((t) => supervised(t.what, every(t))),
      supervised("watchdog", watchdog()),
    ]);
  }
  const outcome = life.outcome ?? { kind: "failed", reason: "the daemon's loops ended on their own" };
  if (outcome.kind === "failed") {
    log.fatal({ reason: outcome.reason }, "the watcher cannot go on: exiting so that its supervisor restarts it");
    await p.onFailure?.(outcome.reason).catch(() => undefined);
  }
  const left = await p.dispatcher.flush(5_000).catch(() => ({ remaining: -1 }));
  if (left.remaining > 0) log.warn({ remaining: left.remaining }, "alerts still queued; they are sent at the next start");
  log.info({ outcome: outcome.kind }, "stopped");
  return outcome;
}
