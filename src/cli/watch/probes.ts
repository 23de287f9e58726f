import type { Config } from "../../config/schema.ts";
import type { MonotonicClock } from "../../core/clock.ts";
import type { P2pParams } from "../../p2p/index.ts";
import type { WatchEngine } from "../../watch/engine.ts";
import type { WatchTarget } from "../../watch/fleet.ts";
import { probeNode } from "../../watch/probe.ts";
import { SapiCadence } from "../../watch/sapi-cadence.ts";
import { Scheduler } from "../../watch/scheduler.ts";

/**
 * The probe side of the daemon: the scheduler, and when a probe also asks SAPI. Failing nodes are
 * re-probed at the confirm interval; a node that is failing or not seen yet is asked everything.
 */
export function watchProbes(p: { config: Config; params: P2pParams; clock: MonotonicClock; engine: WatchEngine }): { scheduler: Scheduler<WatchTarget>; sapiCadence: SapiCadence } {
  const { clock, engine } = p;
  const w = p.config.watch;
  const failing = (id: string) => {
    const h = engine.state(id)?.health;
    return h === "suspect" || h === "down" || h === "recovering";
  };
  const unsure = (id: string) => failing(id) || (engine.state(id)?.health ?? "unknown") === "unknown";
  const sapiCadence = new SapiCadence(w.sapiIntervalSeconds * 1000);
  const scheduler = new Scheduler<WatchTarget>({
    clock,
    intervalMs: w.intervalSeconds * 1000,
    confirmIntervalMs: w.confirmIntervalSeconds * 1000,
    concurrency: w.concurrency,
    probe: (t, signal) => {
      // The cadence is timed on the monotonic clock: a step of the system clock neither skips nor floods SAPI checks.
      const sapi = t.sapiPort !== undefined && sapiCadence.due(t.nodeId, clock.monotonic(), unsure(t.nodeId));
      return probeNode(t, p.params, { timeoutMs: w.probeTimeoutSeconds * 1000, signal, now: () => clock.now(), sapi });
    },
    onResults: (batch) => engine.record(batch),
    isFailing: failing,
  });
  return { scheduler, sapiCadence };
}
