import { setMaxListeners } from "node:events";
import { buildChannels } from "../../alerts/build-channels.ts";
import { createDispatcher } from "../../alerts/dispatcher.ts";
import type { AlertEvent } from "../../alerts/event.ts";
import { findCoin, portText } from "../../coins/index.ts";
import type { Config } from "../../config/schema.ts";
import { resolvePorts } from "../../config/ports.ts";
import type { MonotonicClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import type { Redactor } from "../../core/redact.ts";
import { SteadyClock } from "../../core/steady-clock.ts";
import { desiredPolicy } from "../../firewall/policy.ts";
import { preparePlan } from "../../firewall/prepare.ts";
import { selectInstances } from "../../inventory/select.ts";
import { p2pParamsFor } from "../../p2p/index.ts";
import type { VultrProvider } from "../../providers/vultr/adapter.ts";
import type { Stores } from "../../store/index.ts";
import { ClockWatch } from "../../watch/clock-watch.ts";
import { runDaemon } from "../../watch/daemon.ts";
import { WatchEngine } from "../../watch/engine.ts";
import { FirewallCompliance } from "../../watch/firewall-compliance.ts";
import { watchTargets, type WatchTarget } from "../../watch/fleet.ts";
import { FleetSource } from "../../watch/fleet-source.ts";
import { Lifecycle, type DaemonOutcome, type StartNotice } from "../../watch/lifecycle.ts";
import { Remediator } from "../../watch/remediator.ts";
import { SMARTCASH_EXPIRY } from "../../watch/reward-clock.ts";
import { canReachAny, selfCheckTargets } from "../../watch/self-check.ts";
import { WatcherHealth } from "../../watch/watcher-health.ts";
import { planRequestFromConfig } from "../context.ts";
import { openAuthParts, watchDatabasePath, type AuthParts } from "../auth-context.ts";
import { serveWatch } from "./serve.ts";
import { composeNetworkWatch } from "./netview.ts";
import { watchProbes } from "./probes.ts";
import { isCorruption } from "../../store/sqlite/faults.ts";
import { databaseFileCheck, guardStorage, openWatchDatabase, recoveryText } from "./storage.ts";
import { fleetSide, OWN_VOICE, vantageOf, type FleetSide } from "./fleet.ts";
import { openConfiguredPostgres } from "../store-open.ts";
import { memoryOutboxStore } from "../../store/memory/outbox-store.ts";
import type { Dispatcher } from "../../alerts/dispatcher.ts";
import type { ProbeRecord } from "../../watch/model.ts";

export interface WatchDeps {
  config: Config;
  provider: VultrProvider;
  /** The system clock: the daemon times on a steady clock built on it; sign-in (TOTP) reads it directly. */
  clock: MonotonicClock;
  /** The daemon's steady clock, kept across in-process restarts (default: a new one on `clock`). */
  steady?: SteadyClock;
  log: Logger;
  redactor: Redactor;
  env: Readonly<Record<string, string | undefined>>;
  /** Open this store instead of the configured SQLite file (tests, demo). */
  stores?: Stores;
  /** Dashboard accounts: these instead of the ones in the configured database (tests). */
  auth?: AuthParts;
  /** Set the configured database aside before opening it (the last run found it damaged). */
  recoverDatabase?: boolean;
  /** Faults to alert once running (they happened while the last run ended). */
  notices?: readonly StartNotice[];
  /** --vantage: this watcher's name in a fleet (overrides watch.vantage.name). */
  vantage?: string;
}

export interface RunningWatch {
  url: string;
  engine: WatchEngine;
  /** Resolves once the first inventory is read and every node is scheduled. */
  ready: Promise<void>;
  /** Resolves with how the run ended (after `stop`: "stopped"). */
  done: Promise<DaemonOutcome>;
  stop(): Promise<DaemonOutcome>;
}

/** The watch daemon's composition root: every part built from the config, then started. */
export async function startWatch(d: WatchDeps): Promise<RunningWatch> {
  const { config, log } = d;
  const coin = findCoin(config.coin);
  const params = coin === undefined ? undefined : p2pParamsFor(coin);
  if (coin === undefined || params === undefined || coin.p2p === undefined) {
    throw new AppError("CONFIG_INVALID", `coin ${config.coin} has no P2P profile: watch needs the coin's handshake`, { hint: "use coin: smartcash, smartcash-legacy or dash" });
  }
  const clock = d.steady ?? new SteadyClock(d.clock);
  const expiry = coin.expiry ?? SMARTCASH_EXPIRY;
  const w = config.watch;
  const built = await buildChannels(config.alerts, { fetch, clock, redactor: d.redactor, env: { ...d.env } });
  for (const warning of built.warnings) log.warn(warning);

  const ac = new AbortController();
  const life = new Lifecycle(ac.signal);
  const notices: StartNotice[] = [...(d.notices ?? [])];
  // A fleet: several watchers on one PostgreSQL store (docs/fleet.md); otherwise one watcher on its SQLite file.
  const inFleet = d.stores === undefined && config.store.url !== undefined;
  const vantage = vantageOf(config, { flag: d.vantage, fleet: inFleet, startedAt: clock.now() });
  let side: FleetSide | null = null;
  const pg = inFleet ? await openConfiguredPostgres(config, d.env, d.redactor, { fence: () => side?.member.fence() ?? null, warn: (line) => log.warn(line) }) : null;
  const path = d.stores === undefined && pg === null ? watchDatabasePath(config, d.env) : undefined;
  const opened = path === undefined ? null : openWatchDatabase(path, d.recoverDatabase === true, new Date(clock.now()));
  if (opened?.recovery) notices.push({ fault: "database-corrupt", detail: recoveryText(opened.recovery) });
  const raw: Stores = d.stores ?? pg ?? opened!.store;

  const render = { rebootAfterMinutes: config.remediation.enabled ? config.remediation.afterMinutes : null, expiry };
  const maxAgeMs = config.alerts.retry.maxAgeMinutes * 60_000;
  // In a fleet, what a watcher says about itself goes straight to the channels: the shared outbox is the leader's.
  const own = inFleet ? createDispatcher({ outbox: memoryOutboxStore(), channels: built.channels, clock, logger: (line) => log.info(line), maxAgeMs, render }) : null;
  const shared = { enqueue: (events: readonly AlertEvent[]) => dispatcher.enqueue(events) };
  const alerts = own === null ? shared : splitAlerts(own, shared);
  const health = new WatcherHealth({ clock, log, alerts });
  const storage = guardStorage(raw, { health, lifecycle: life, log });
  const stores = storage.stores;
  const dispatcher = createDispatcher({
    outbox: stores.outbox,
    channels: built.channels,
    clock,
    logger: (line) => log.info(line),
    maxAgeMs,
    render,
  });
  const engine = new WatchEngine({
    clock,
    thresholds: { failuresToDown: w.failuresToDown, successesToUp: w.successesToUp, escalateAfterMinutes: w.escalateAfterMinutes, maxHeightLag: w.maxHeightLag, minProtocolVersion: coin.p2p.minProtocolVersion },
    expiry,
    ...stores,
    alerts,
    selfCheck: () => canReachAny(selfCheckTargets(w.selfCheck, config.provider.baseUrl)),
    log,
    vantage: vantage.name,
    // A fleet's watcher leads only while it holds the lease, and then decides on the quorum of the vantages.
    leading: !inFleet,
    ...(inFleet ? { stillLeading: () => side?.guard.isLeader() ?? false, verdict: (p: ProbeRecord) => side?.member.verdict(p) ?? p } : {}),
  });
  side = pg === null ? null : fleetSide({ config, vantage, stores: pg, clock, log, engine, alerts: shared, health });
  const leaderOnly = side?.leaderOnly ?? ((run: (signal: AbortSignal) => Promise<void>) => run);
  const { scheduler, sapiCadence } = watchProbes({ config, params, clock, engine });
  const required = desiredPolicy({ description: "", ports: resolvePorts(config).map((p) => ({ protocol: p.protocol, port: portText(p), purpose: p.purpose })), adminAccess: [], icmp: false }, false)
    .rules.filter((r) => r.role === "required").map((r) => r.rule);
  const remediator = new Remediator({ policy: config.remediation, provider: d.provider, engine, incidents: stores.incidents, alerts, requiredRules: required, expiry, clock, log });
  const firewall = new FirewallCompliance({
    plan: async (signal) => {
      const p = await preparePlan(d.provider, planRequestFromConfig(config), signal);
      return { plan: p.plan, selectedIds: p.selected.map((i) => i.id) };
    },
    now: () => clock.now(),
    log,
  });
  const fleet = new FleetSource({
    listInstances: async (signal) => watchTargets(selectInstances(await d.provider.listInstances(signal), config.nodes).selected, [], coin, config.verify.sapi),
    staticHosts: watchTargets([], config.hosts, coin, config.verify.sapi),
    snapshots: stores.fleetSnapshot,
    health,
    now: () => clock.now(),
    log,
  });
  const network = composeNetworkWatch({ config, coin, engine, stores, alerts, expiry, clock, log, leading: () => side?.member.leading() ?? true });
  const served = await serveWatch({ config, clock, systemClock: d.clock, log, engine, scheduler, stores, storage, health, expiry, alerts, auth: d.auth ?? (pg === null ? undefined : openAuthParts(watchDatabasePath(config, d.env), pg.auth)), firewall, databasePath: path, fleet: side?.member ?? null, network: network?.watch ?? null });
  const clockWatch = new ClockWatch({
    clock,
    toleranceMs: 2_000,
    quiet: async () => engine.quiet() && remediator.quiet() && health.active().length === 0 && !storage.outbox.holding && (await stores.outbox.depth().catch(() => 1)) === 0,
    notice: (fault, detail) => health.notice(fault, detail),
    log,
  });

  // Every probe in flight listens on the daemon's signal (and removes its listener when done).
  setMaxListeners(w.concurrency * 3 + 100, life.signal);
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const refreshMs = w.inventoryRefreshSeconds * 1000;
  const refresh = async (signal: AbortSignal) => {
    const targets: WatchTarget[] = await fleet.read(signal);
    sapiCadence.retain(new Set(targets.map((t) => t.nodeId)));
    await engine.setNodes(targets);
    scheduler.setNodes(targets);
    log.info({ nodes: targets.length }, "watching");
  };
  const done = runDaemon(
    {
      clock,
      log,
      lifecycle: life,
      scheduler,
      dispatcher: side === null || own === null ? dispatcher : side.dispatcher(dispatcher, own),
      stallMs: Math.max(60_000, 3 * w.probeTimeoutSeconds * 1000),
      load: async () => {
        try {
          await engine.load();
        } catch (e) {
          if (!isCorruption(e)) throw e;
          return life.restart("the database is damaged", { recover: true });
        }
        // Records from the last run later than now: the system clock went back while nodeward was stopped.
        const behind = clock.notBefore(engine.newestRecord() ?? 0);
        if (behind > 0) log.warn({ behindMs: behind }, "the last run's records are later than the system clock: timing continues from them");
        // What the last run found while it ended (a damaged or restored database), alerted now that alerts can be queued.
        for (const n of notices) await health.notice(n.fault, n.detail);
        if (side !== null) {
          log.info({ vantage: vantage.name, holder: vantage.holder, store: pg?.target }, "joining the fleet: probing, and leading when the lease is free");
          side.guard.start();
        }
      },
      refresh,
      periodic: [
        // While the provider cannot be read, it is asked again every 30 s.
        { what: "inventory refresh", everyMs: () => (health.has("inventory") ? Math.min(30_000, refreshMs) : refreshMs), run: refresh },
        { what: "firewall check", everyMs: refreshMs, atStart: true, run: (signal) => firewall.check(signal) },
        { what: "escalation tick", everyMs: Math.min(10_000, w.confirmIntervalSeconds * 1000), run: () => engine.tick() },
        // Also with remediation off: a firewall that blocks the coin's port is alerted from here.
        { what: "remediation", everyMs: Math.min(30_000, w.confirmIntervalSeconds * 1000), run: leaderOnly((signal) => remediator.check(signal)) },
        { what: "compaction", everyMs: 3_600_000, atStart: true, run: leaderOnly(() => compact(stores, clock.now(), w.rawRetentionDays, w.rollupRetentionDays, log)) },
        ...(side?.periodic ?? []),
        ...(network === null ? [] : [network.periodic]),
        { what: "storage retry", everyMs: 5_000, run: () => storage.retry() },
        { what: "clock check", everyMs: 5_000, atStart: true, run: () => clockWatch.check() },
        ...(opened === null ? [] : [{ what: "database file check", everyMs: 10_000, run: databaseFileCheck(opened.store, { lifecycle: life, restoreKeyFile: served.restoreKeyFile, notice: (f, detail) => health.notice(f, detail), log, now: () => new Date(clock.now()) }) }]),
      ],
      onFailure: (reason) => health.notice("stalled", reason),
    },
    () => markReady(),
  ).finally(async () => {
    // A restart after the file was restored keeps the old connections open: closing them would delete
    // the -wal file by its name, and a new connection to the restored file may already own that name.
    const keep = opened !== null && life.outcome?.kind === "restart" && !life.outcome.recover;
    // Let go of the lease at once, so another watcher leads without waiting for it to lapse.
    await side?.guard.stop();
    await served.close({ keepConnections: keep });
    if (pg !== null) await pg.end();
    else if (d.stores === undefined && !keep) raw.close();
  });
  return {
    url: served.url,
    engine,
    ready: Promise.race([ready, done.then(() => undefined)]),
    done,
    stop: async () => {
      ac.abort();
      return done;
    },
  };
}

async function compact(stores: Stores, now: number, rawDays: number, rollupDays: number, log: Logger): Promise<void> {
  const r = await stores.probes.compact(now - rawDays * 86_400_000, now - rollupDays * 86_400_000);
  const incidents = await stores.incidents.prune(now - rollupDays * 86_400_000);
  const alerts = await stores.outbox.prune(now - rollupDays * 86_400_000);
  log.debug({ ...r, incidentsPruned: incidents, alertsPruned: alerts }, "history compacted");
}

/** A fleet watcher's alerts: its own faults to its own sender, the rest to the shared outbox (the leader's). */
function splitAlerts(own: Dispatcher, shared: { enqueue(events: readonly AlertEvent[]): Promise<number> }): { enqueue(events: readonly AlertEvent[]): Promise<number> } {
  return {
    async enqueue(events) {
      const mine = events.filter((e) => OWN_VOICE.has(e.kind));
      const theirs = events.filter((e) => !OWN_VOICE.has(e.kind));
      return (mine.length > 0 ? await own.enqueue(mine) : 0) + (theirs.length > 0 ? await shared.enqueue(theirs) : 0);
    },
  };
}
