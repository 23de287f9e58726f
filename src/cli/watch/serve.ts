import type { FleetMember } from "../../fleet/member.ts";
import type { AlertEvent } from "../../alerts/event.ts";
import type { Config } from "../../config/schema.ts";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { Stores } from "../../store/index.ts";
import type { WatchEngine } from "../../watch/engine.ts";
import type { FirewallCompliance } from "../../watch/firewall-compliance.ts";
import type { WatchTarget } from "../../watch/fleet.ts";
import { startWatchHttp } from "../../watch/http.ts";
import { watchMetrics } from "../../watch/metrics.ts";
import type { NetworkWatch } from "../../watch/network-watch.ts";
import type { ExpiryRule } from "../../watch/reward-clock.ts";
import type { Scheduler } from "../../watch/scheduler.ts";
import type { WatcherHealth } from "../../watch/watcher-health.ts";
import type { AuthParts } from "../auth-context.ts";
import { composeDashboard } from "./dashboard.ts";
import type { DaemonStorage } from "./storage.ts";

/**
 * What the daemon serves on watch.listen: /healthz (503 with the reasons whenever the watcher is
 * offline or degraded, so a monitor of the watcher never sees a broken one as healthy), /metrics
 * and the dashboard.
 */
export async function serveWatch(p: {
  config: Config;
  /** The daemon's steady clock (records, display). */
  clock: Clock;
  /** The system clock (sign-in, sessions, TOTP). */
  systemClock: Clock;
  log: Logger;
  engine: WatchEngine;
  scheduler: Scheduler<WatchTarget>;
  stores: Stores;
  storage: DaemonStorage;
  health: WatcherHealth;
  expiry: ExpiryRule;
  alerts: { enqueue(events: readonly AlertEvent[]): Promise<number> };
  auth: AuthParts | undefined;
  firewall: FirewallCompliance;
  databasePath: string | undefined;
  /** This watcher's place in a fleet (null: a single watcher). */
  fleet: FleetMember | null;
  /** The network's view of each node (null: the watcher does not ask the network). */
  network: NetworkWatch | null;
}): Promise<{ url: string; restoreKeyFile(): boolean; close(opts: { keepConnections: boolean }): Promise<void> }> {
  const { engine, scheduler, health, log } = p;
  const [host, port] = splitListen(p.config.watch.listen);
  const metrics = watchMetrics({
    engine, scheduler: () => scheduler.stats(), outboxDepth: () => p.stores.outbox.depth(), faults: () => health.active().map((f) => f.fault), expiry: p.expiry, now: () => p.clock.now(),
    held: () => p.storage.held().probes,
    ...(p.fleet === null ? {} : { fleet: p.fleet }),
    ...(p.network === null ? {} : { network: () => p.network!.views() }),
  });
  const dashboard = composeDashboard({
    config: p.config, clock: p.systemClock, displayNow: () => p.clock.now(), log, engine, stores: p.stores, expiry: p.expiry, alerts: p.alerts, auth: p.auth,
    firewall: (nodeId) => p.firewall.get(nodeId), databasePath: p.databasePath, host, fleet: p.fleet,
  });
  const http = await startWatchHttp(host, port, {
    metrics,
    ...(dashboard.extra === undefined ? {} : { extra: dashboard.extra }),
    health: () => {
      const faults = health.active();
      const status = engine.offline ? "watcher-offline" : faults.length > 0 ? "degraded" : "ok";
      const held = p.storage.held();
      return {
        ok: status === "ok",
        body: {
          status,
          nodes: engine.nodes().length,
          probes: scheduler.stats().probes,
          faults: faults.map((f) => ({ fault: f.fault, since: new Date(f.since).toISOString(), detail: f.detail })),
          ...(p.storage.writes.holding || held.alerts ? { heldInMemory: held } : {}),
          ...(p.fleet === null ? {} : { fleet: fleetHealth(p.fleet) }),
        },
      };
    },
  }, { allowed: p.config.watch.allowedHosts, forwarded: p.config.dashboard.trustProxy });
  log.info({ url: http.url }, "serving /healthz and /metrics");
  if (dashboard.extra !== undefined) log.info({ url: `${http.url}/login` }, "serving the dashboard: sign in with a user from `nodeward user add`");
  return {
    url: http.url,
    restoreKeyFile: () => dashboard.restoreKeyFile(),
    close: async (opts) => {
      await http.close();
      dashboard.close(opts);
    },
  };
}

function fleetHealth(m: FleetMember): object {
  return {
    vantage: m.vantage.name,
    region: m.vantage.region,
    leader: m.leading(),
    vantages: m.vantages().map((v) => ({ name: v.name, live: v.live, ...(v.why === null ? {} : { why: v.why }), seenAt: new Date(v.seenAt).toISOString() })),
  };
}

function splitListen(listen: string): [string, number] {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(listen);
  return [m?.[1] ?? "127.0.0.1", Number(m?.[2] ?? 9797)];
}
