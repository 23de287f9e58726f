import { setMaxListeners } from "node:events";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { buildChannels } from "../../alerts/build-channels.ts";
import { createDispatcher } from "../../alerts/dispatcher.ts";
import { findCoin } from "../../coins/index.ts";
import type { Config } from "../../config/schema.ts";
import { expandHome } from "../../config/home.ts";
import { resolvePorts } from "../../config/ports.ts";
import type { Clock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import type { Redactor } from "../../core/redact.ts";
import { desiredPolicy } from "../../firewall/policy.ts";
import { selectInstances } from "../../inventory/select.ts";
import { p2pParamsFor } from "../../p2p/index.ts";
import type { VultrProvider } from "../../providers/vultr/adapter.ts";
import { defaultDataPath, openSqliteStore, type Stores } from "../../store/index.ts";
import { runDaemon } from "../../watch/daemon.ts";
import { WatchEngine } from "../../watch/engine.ts";
import { watchTargets, type WatchTarget } from "../../watch/fleet.ts";
import { startWatchHttp } from "../../watch/http.ts";
import { watchMetrics } from "../../watch/metrics.ts";
import { probeNode } from "../../watch/probe.ts";
import { Remediator } from "../../watch/remediator.ts";
import { FirewallCompliance } from "../../watch/firewall-compliance.ts";
import { SapiCadence } from "../../watch/sapi-cadence.ts";
import { preparePlan } from "../../firewall/prepare.ts";
import { planRequestFromConfig } from "../context.ts";
import { SMARTCASH_EXPIRY } from "../../watch/reward-clock.ts";
import { Scheduler } from "../../watch/scheduler.ts";
import { canReachAny, selfCheckTargets } from "../../watch/self-check.ts";
import { portText } from "../../coins/index.ts";
import { watchDatabasePath, type AuthParts } from "../auth-context.ts";
import { composeDashboard } from "./dashboard.ts";

export interface WatchDeps {
  config: Config;
  provider: VultrProvider;
  clock: Clock;
  log: Logger;
  redactor: Redactor;
  env: Readonly<Record<string, string | undefined>>;
  /** Open this store instead of the configured SQLite file (tests, demo). */
  stores?: Stores;
  /** Dashboard accounts: these instead of the ones in the configured database (tests). */
  auth?: AuthParts;
}

export interface RunningWatch {
  url: string;
  engine: WatchEngine;
  /** Resolves once the first inventory is read and every node is scheduled. */
  ready: Promise<void>;
  /** Resolves when the daemon has stopped (after `stop`). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** The watch daemon's composition root: every part built from the config, then started. */
export async function startWatch(d: WatchDeps): Promise<RunningWatch> {
  const { config, clock, log } = d;
  const coin = findCoin(config.coin);
  const params = coin === undefined ? undefined : p2pParamsFor(coin);
  if (coin === undefined || params === undefined || coin.p2p === undefined) {
    throw new AppError("CONFIG_INVALID", `coin ${config.coin} has no P2P profile: watch needs the coin's handshake`, { hint: "use coin: smartcash, smartcash-legacy or dash" });
  }
  const expiry = coin.expiry ?? SMARTCASH_EXPIRY;
  const built = await buildChannels(config.alerts, { fetch, clock, redactor: d.redactor, env: { ...d.env } });
  for (const w of built.warnings) log.warn(w);

  const stores = d.stores ?? openStore(config, d.env);
  const dispatcher = createDispatcher({
    outbox: stores.outbox,
    channels: built.channels,
    clock,
    logger: (line) => log.info(line),
    maxAgeMs: config.alerts.retry.maxAgeMinutes * 60_000,
    render: { rebootAfterMinutes: config.remediation.enabled ? config.remediation.afterMinutes : null, expiry },
  });
  const w = config.watch;
  const engine = new WatchEngine({
    clock,
    thresholds: { failuresToDown: w.failuresToDown, successesToUp: w.successesToUp, escalateAfterMinutes: w.escalateAfterMinutes, maxHeightLag: w.maxHeightLag, minProtocolVersion: coin.p2p.minProtocolVersion },
    expiry,
    ...stores,
    alerts: dispatcher,
    selfCheck: () => canReachAny(selfCheckTargets(w.selfCheck, config.provider.baseUrl)),
    log,
  });
  const failing = (id: string) => {
    const h = engine.state(id)?.health;
    return h === "suspect" || h === "down" || h === "recovering";
  };
  // A node not seen yet is asked everything at its first probe.
  const unsure = (id: string) => failing(id) || (engine.state(id)?.health ?? "unknown") === "unknown";
  const sapiCadence = new SapiCadence(w.sapiIntervalSeconds * 1000);
  const scheduler = new Scheduler<WatchTarget>({
    clock,
    intervalMs: w.intervalSeconds * 1000,
    confirmIntervalMs: w.confirmIntervalSeconds * 1000,
    concurrency: w.concurrency,
    probe: (t, signal) => {
      const now = clock.now();
      const sapi = t.sapiPort !== undefined && sapiCadence.due(t.nodeId, now, unsure(t.nodeId));
      return probeNode(t, params, { timeoutMs: w.probeTimeoutSeconds * 1000, signal, now: () => clock.now(), sapi });
    },
    onResults: (batch) => engine.record(batch),
    isFailing: failing,
  });
  const required = desiredPolicy({ description: "", ports: resolvePorts(config).map((p) => ({ protocol: p.protocol, port: portText(p), purpose: p.purpose })), adminAccess: [], icmp: false }, false)
    .rules.filter((r) => r.role === "required").map((r) => r.rule);
  const remediator = new Remediator({ policy: config.remediation, provider: d.provider, engine, incidents: stores.incidents, alerts: dispatcher, requiredRules: required, expiry, clock, log });

  const firewall = new FirewallCompliance({
    plan: async (signal) => {
      const p = await preparePlan(d.provider, planRequestFromConfig(config), signal);
      return { plan: p.plan, selectedIds: p.selected.map((i) => i.id) };
    },
    now: () => clock.now(),
    log,
  });
  const [host, port] = splitListen(w.listen);
  const metrics = watchMetrics({ engine, scheduler: () => scheduler.stats(), outboxDepth: () => stores.outbox.depth(), expiry, now: () => clock.now() });
  const dashboard = composeDashboard({ config, clock, log, engine, stores, expiry, alerts: dispatcher, auth: d.auth, firewall: (nodeId) => firewall.get(nodeId), databasePath: d.stores === undefined ? watchDatabasePath(config, d.env) : undefined, host });
  const http = await startWatchHttp(host, port, {
    metrics,
    ...(dashboard.extra === undefined ? {} : { extra: dashboard.extra }),
    health: () => ({ ok: !engine.offline, body: { status: engine.offline ? "watcher-offline" : "ok", nodes: engine.nodes().length, probes: scheduler.stats().probes } }),
  }, { allowed: w.allowedHosts, forwarded: config.dashboard.trustProxy });
  log.info({ url: http.url }, "serving /healthz and /metrics");
  if (dashboard.extra !== undefined) log.info({ url: `${http.url}/login` }, "serving the dashboard: sign in with a user from `nodeward user add`");

  const ac = new AbortController();
  // Every probe in flight listens on the daemon's signal (and removes its listener when done).
  setMaxListeners(w.concurrency * 3 + 100, ac.signal);
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const done = runDaemon(
    {
      clock, log, engine, scheduler, remediator, dispatcher, probes: stores.probes, incidents: stores.incidents, outbox: stores.outbox,
      firewallCheck: (signal) => firewall.check(signal),
      inventory: async (signal) => {
        const targets = watchTargets(selectInstances(await d.provider.listInstances(signal), config.nodes).selected, config.hosts, coin, config.verify.sapi);
        sapiCadence.retain(new Set(targets.map((t) => t.nodeId)));
        return targets;
      },
      inventoryRefreshMs: w.inventoryRefreshSeconds * 1000,
      rawRetentionMs: w.rawRetentionDays * 86_400_000,
      rollupRetentionMs: w.rollupRetentionDays * 86_400_000,
      remediationMs: Math.min(30_000, w.confirmIntervalSeconds * 1000),
      tickMs: Math.min(10_000, w.confirmIntervalSeconds * 1000),
    },
    ac.signal,
    () => markReady(),
  ).finally(async () => {
    await http.close();
    dashboard.close();
    if (d.stores === undefined) stores.close();
  });
  return {
    url: http.url,
    engine,
    ready: Promise.race([ready, done]),
    done,
    stop: async () => {
      ac.abort();
      await done;
    },
  };
}

function openStore(config: Config, env: Readonly<Record<string, string | undefined>>): Stores {
  const path = config.watch.database === undefined ? defaultDataPath(env) : expandHome(config.watch.database, env["HOME"]);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return openSqliteStore(path);
}

function splitListen(listen: string): [string, number] {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(listen);
  return [m?.[1] ?? "127.0.0.1", Number(m?.[2] ?? 9797)];
}
