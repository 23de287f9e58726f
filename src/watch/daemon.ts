import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { WatchEngine, WatchedNode } from "./engine.ts";
import type { OutboxStore } from "../alerts/outbox-store.ts";
import type { IncidentStore, ProbeStore } from "./ports.ts";
import type { Remediator } from "./remediator.ts";
import type { Scheduler } from "./scheduler.ts";

export interface DaemonParts<N extends WatchedNode> {
  clock: Clock;
  log: Logger;
  engine: WatchEngine;
  scheduler: Scheduler<N>;
  remediator: Remediator | null;
  dispatcher: { run(signal: AbortSignal): Promise<void>; flush(timeoutMs: number): Promise<{ remaining: number }> };
  probes: ProbeStore;
  /** Pruned with the rollups: incidents that ended, and alerts settled, longer ago than rollupRetentionMs. */
  incidents: Pick<IncidentStore, "prune">;
  outbox: Pick<OutboxStore, "prune">;
  /** The fleet now: provider instances selected by the config, plus static hosts. */
  inventory: (signal: AbortSignal) => Promise<N[]>;
  inventoryRefreshMs: number;
  rawRetentionMs: number;
  rollupRetentionMs: number;
  /** Re-reads the cloud firewall (at start, then with each inventory refresh). */
  firewallCheck?: (signal: AbortSignal) => Promise<void>;
  /** Escalation ticks (default 10 s) and remediation checks (default 30 s). */
  tickMs?: number;
  remediationMs?: number;
}

/**
 * The daemon's loops, all stopped by one signal: inventory refresh, the probe scheduler,
 * escalation ticks, remediation, alert delivery and hourly compaction. On stop, in-flight probes
 * are cancelled, buffered results written, and the alert outbox flushed (briefly).
 */
export async function runDaemon<N extends WatchedNode>(p: DaemonParts<N>, signal: AbortSignal, onReady: () => void = () => {}): Promise<void> {
  await p.engine.load();
  const refresh = async () => {
    const nodes = await p.inventory(signal);
    await p.engine.setNodes(nodes);
    p.scheduler.setNodes(nodes);
    p.log.info({ nodes: nodes.length }, "watching");
  };
  await refresh();
  onReady();
  const every = (ms: number, what: string, fn: () => Promise<unknown>) =>
    (async () => {
      while (!signal.aborted) {
        await p.clock.sleep(ms, signal).catch(() => undefined);
        if (signal.aborted) return;
        await fn().catch((e: unknown) => p.log.error({ error: (e as Error).message }, `${what} failed`));
      }
    })();
  const compact = async () => {
    const now = p.clock.now();
    const r = await p.probes.compact(now - p.rawRetentionMs, now - p.rollupRetentionMs);
    const incidents = await p.incidents.prune(now - p.rollupRetentionMs);
    const alerts = await p.outbox.prune(now - p.rollupRetentionMs);
    p.log.debug({ ...r, incidentsPruned: incidents, alertsPruned: alerts }, "history compacted");
  };
  // At start, then with each inventory refresh; a failure is logged, never the end of the daemon.
  const firewallChecks = async (check: (signal: AbortSignal) => Promise<void>) => {
    await check(signal).catch((e: unknown) => p.log.error({ error: (e as Error).message }, "firewall check failed"));
    await every(p.inventoryRefreshMs, "firewall check", () => check(signal));
  };
  await compact().catch((e: unknown) => p.log.error({ error: (e as Error).message }, "compaction failed"));
  await Promise.all([
    p.scheduler.run(signal),
    p.dispatcher.run(signal),
    every(p.inventoryRefreshMs, "inventory refresh", refresh),
    p.firewallCheck === undefined ? Promise.resolve() : firewallChecks(p.firewallCheck),
    every(p.tickMs ?? 10_000, "escalation tick", () => p.engine.tick()),
    p.remediator === null ? Promise.resolve() : every(p.remediationMs ?? 30_000, "remediation", () => p.remediator!.check(signal)),
    every(3_600_000, "compaction", compact),
  ]);
  const left = await p.dispatcher.flush(5_000);
  if (left.remaining > 0) p.log.warn({ remaining: left.remaining }, "alerts still queued; they are sent at the next start");
  p.log.info("stopped");
}
