import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Dispatcher } from "../../alerts/dispatcher.ts";
import type { AlertEvent } from "../../alerts/event.ts";
import type { Config } from "../../config/schema.ts";
import type { MonotonicClock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import { VANTAGE_NAME } from "../../fleet/config.ts";
import { LeaderGuard } from "../../fleet/leader.ts";
import { FleetMember, LEADER_LEASE, type Vantage } from "../../fleet/member.ts";
import { LOCAL_VANTAGE, type FleetStores } from "../../fleet/ports.ts";
import { VantageView } from "../../fleet/vantage-view.ts";
import type { Periodic } from "../../watch/daemon.ts";
import type { WatcherHealth } from "../../watch/watcher-health.ts";

/**
 * The daemon's fleet side, when several watchers share one PostgreSQL store: who this watcher is,
 * the lease it competes for, and the loops every watcher runs (heartbeat, reading the others'
 * results, looking for a leader). A single watcher on SQLite has none of it and acts as always.
 */

/** This watcher's vantage: --vantage, then watch.vantage.name, then "local" (SQLite) or the host name (a fleet). */
export function vantageOf(config: Config, opts: { flag?: string; fleet: boolean; startedAt: number }): Vantage {
  const fromHost = hostname().split(".")[0]?.replace(/[^\p{L}\p{N}._-]/gu, "-").slice(0, 64) ?? "";
  const name = opts.flag ?? config.watch.vantage.name ?? (opts.fleet && VANTAGE_NAME.test(fromHost) ? fromHost : LOCAL_VANTAGE);
  // A fleet's holder is this run: a watcher restarted after kill -9 must not inherit the lease of its dead self.
  const holder = opts.fleet ? `${name}/${randomUUID().slice(0, 8)}` : name;
  return { name, region: config.watch.vantage.region, holder, startedAt: opts.startedAt };
}

/** How long a grant of the lease lasts: one probe interval (3 s to 60 s), so a dead leader's place is taken within 2. */
export function leaseTtlMs(intervalSeconds: number): number {
  return Math.min(60_000, Math.max(3_000, intervalSeconds * 1000));
}

/** The heartbeat's and the others' results' pace: a quarter interval (1 s to 10 s). */
export function fleetPaceMs(intervalSeconds: number): number {
  return Math.min(10_000, Math.max(1_000, (intervalSeconds * 1000) / 4));
}

/** What a watcher says about itself goes out from itself; the rest is the leader's to send through the shared outbox. */
export const OWN_VOICE: ReadonlySet<AlertEvent["kind"]> = new Set(["watcher-offline", "watcher-online", "watcher-fault", "watcher-fault-cleared"]);

export interface FleetSide {
  member: FleetMember;
  guard: LeaderGuard;
  periodic: Periodic[];
  /** The loops only the leader runs, and the alert sender: run during each leading term. */
  leaderOnly(run: (signal: AbortSignal) => Promise<void>): (signal: AbortSignal) => Promise<void>;
  /** A dispatcher that delivers the shared outbox while leading, and this watcher's own alerts always. */
  dispatcher(shared: Dispatcher, own: Dispatcher): { run(signal: AbortSignal): Promise<void>; flush(timeoutMs: number): Promise<{ remaining: number }> };
}

export function fleetSide(p: {
  config: Config;
  vantage: Vantage;
  stores: FleetStores;
  clock: MonotonicClock;
  log: Logger;
  engine: { lead(): Promise<void>; follow(): void; readonly offline: boolean };
  /** The shared outbox (the leader's alerts). */
  alerts: { enqueue(events: readonly AlertEvent[]): Promise<number> };
  /** This watcher's faults, alerted straight to the channels. */
  health: WatcherHealth;
}): FleetSide {
  const w = p.config.watch;
  const intervalMs = w.intervalSeconds * 1000;
  const guard = new LeaderGuard({ leases: p.stores.leases, clock: p.clock, lease: LEADER_LEASE, holder: p.vantage.holder, ttlMs: leaseTtlMs(w.intervalSeconds), log: p.log });
  const view = new VantageView({ latest: p.stores.latest, vantages: p.stores.vantages, self: p.vantage.name });
  const member = new FleetMember({
    vantage: p.vantage,
    stores: p.stores,
    guard,
    view,
    clock: p.clock,
    intervalMs,
    rule: w.quorum,
    engine: p.engine,
    alerts: p.alerts,
    noLeader: { raise: (detail) => p.health.raise("no-leader", detail), clear: (detail) => p.health.clear("no-leader", detail) },
    log: p.log,
  });
  const pace = fleetPaceMs(w.intervalSeconds);
  return {
    member,
    guard,
    periodic: [
      { what: "heartbeat", everyMs: pace, atStart: true, run: () => member.beat() },
      { what: "other vantages' results", everyMs: pace, atStart: true, run: () => member.refresh() },
      { what: "leader check", everyMs: pace, run: () => member.checkLeader() },
    ],
    leaderOnly: (run) => (signal) => (member.leading() ? run(signal) : Promise.resolve()),
    dispatcher: (shared, own) => ({
      run: async (signal) => {
        await Promise.all([member.whileLeading((s) => shared.run(s))(signal), own.run(signal)]);
      },
      flush: async (timeoutMs) => {
        const mine = await own.flush(timeoutMs / 2);
        const theirs = member.leading() ? await shared.flush(timeoutMs / 2) : { remaining: 0 };
        return { remaining: mine.remaining + theirs.remaining };
      },
    }),
  };
}
