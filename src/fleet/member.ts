import type { AlertEvent } from "../alerts/event.ts";
import { childAbort } from "../core/abort.ts";
import type { MonotonicClock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { ProbeRecord } from "../watch/model.ts";
import type { LeaderGuard } from "./leader.ts";
import { assessVantages, liveNames, trackLiveness, type LivenessMemory, type VantageLiveness } from "./liveness.ts";
import type { Fence, FleetStores, VantageRecord } from "./ports.ts";
import { quorumVerdict, type QuorumRule } from "./quorum.ts";
import type { VantageView } from "./vantage-view.ts";

const GAIN_RETRY_MS = 5_000;

/** The lease every watcher of a fleet competes for. */
export const LEADER_LEASE = "leader";

export interface Vantage {
  name: string;
  region: string;
  /** This run of the watcher: the lease holder and the heartbeat's holder. */
  holder: string;
  startedAt: number;
}

export interface FleetMemberDeps {
  vantage: Vantage;
  stores: Pick<FleetStores, "vantages" | "leases">;
  guard: LeaderGuard;
  view: VantageView;
  clock: MonotonicClock;
  intervalMs: number;
  rule: QuorumRule;
  engine: { lead(): Promise<void>; follow(): void; readonly offline: boolean };
  /** The shared outbox: what the leader says about the fleet (a vantage lost). */
  alerts: { enqueue(events: readonly AlertEvent[]): Promise<number> };
  /** This watcher's own voice, straight to the channels: "I see no leader" cannot wait for a leader to send it. */
  noLeader: { raise(detail: string): Promise<void>; clear(detail: string): Promise<void> };
  log: Logger;
}

/**
 * One watcher of a fleet: it probes and writes like every other, beats its heartbeat, and when it
 * holds the lease it leads: it takes over the saved states, decides each node on the quorum of the
 * live vantages, sends the alerts and reboots, and tells when a vantage is lost. Losing the lease
 * ends the leading term at once (the term's signal aborts); the store's fence refuses whatever a
 * stale term still tries to write.
 */
export class FleetMember {
  readonly #d: FleetMemberDeps;
  /** The term now running: set once the states are taken over, cleared the moment the lease is lost. */
  #term: { abort: () => void; signal: AbortSignal } | null = null;
  /**
   * The fence of the last term, kept after the term ends: a write the engine started while it led
   * still presents it, and the store refuses it. Only the leader writes to the shared outbox (each
   * watcher's own faults go straight to the channels), so nothing else is refused by it.
   */
  #fence: Fence | null = null;
  #waiting: (() => void)[] = [];
  #live = new Set<string>();
  #liveness: LivenessMemory = new Map();
  readonly #lostSeenAt = new Map<string, number>();
  #leaderSeenAt: number;
  #gaining: Promise<void> = Promise.resolve();

  constructor(deps: FleetMemberDeps) {
    this.#d = deps;
    this.#leaderSeenAt = deps.clock.monotonic();
    deps.guard.onGained((fence) => {
      this.#gaining = this.#gaining.then(() => this.#gain(fence)).catch((e: unknown) => deps.log.error({ error: (e as Error).message }, "could not take over the fleet's states"));
    });
    deps.guard.onLost(() => this.#lose());
  }

  get vantage(): Vantage {
    return this.#d.vantage;
  }

  /** Leads now: the states are taken over and the lease is (surely) held. */
  leading(): boolean {
    return this.#term !== null && this.#d.guard.isLeader();
  }

  /** For the store's leader-only writes: the last term's fence (null before the first). */
  fence(): Fence | null {
    return this.#fence;
  }

  /** The leader's view of the node: its own probe with the live vantages' fresh results (fleet/quorum.ts). */
  verdict(own: ProbeRecord): ProbeRecord {
    return quorumVerdict({ own, ownVantage: this.#d.vantage.name, others: this.#d.view.others(own.nodeId), live: this.#live, freshMs: 2 * this.#d.intervalMs, rule: this.#d.rule }).verdict;
  }

  /**
   * Each vantage's newest result for the node: this watcher's own (`own`) and the others' as last
   * read, with whether it is fresh enough to count (2 probe intervals). For status, the dashboard
   * and /metrics.
   */
  results(nodeId: string, own: ProbeRecord | undefined): { vantage: string; ok: boolean; at: number; cause: string | null; fresh: boolean }[] {
    const now = this.#d.clock.now();
    const rows = own === undefined ? [] : [{ ...own, vantage: this.#d.vantage.name }];
    rows.push(...this.#d.view.others(nodeId));
    return rows.map((r) => ({ vantage: r.vantage, ok: r.ok, at: r.at, cause: r.cause, fresh: Math.abs(now - r.at) <= 2 * this.#d.intervalMs }));
  }

  /** Every vantage as last read, with whether it may vote now. */
  vantages(): VantageLiveness[] {
    return assessVantages(this.#d.view.vantages(), this.#d.clock.now(), 2 * this.#d.intervalMs);
  }

  /** Runs `run` during each leading term, with a signal that aborts when the term ends; resolves when `signal` aborts. */
  whileLeading(run: (signal: AbortSignal) => Promise<void>): (signal: AbortSignal) => Promise<void> {
    return async (signal) => {
      while (!signal.aborted) {
        const term = await this.#nextTerm(signal);
        if (term === null) return;
        const child = childAbort(signal);
        const follow = () => child.abort();
        term.addEventListener("abort", follow, { once: true });
        try {
          await run(child.signal);
        } finally {
          term.removeEventListener("abort", follow);
          child.dispose();
        }
      }
    };
  }

  /** The heartbeat: this vantage is running, and whether its own connectivity check passes. */
  async beat(): Promise<void> {
    const v = this.#d.vantage;
    const offline = this.#d.engine.offline;
    const record: VantageRecord = { ...v, seenAt: this.#d.clock.now(), healthy: !offline, detail: offline ? "its own connectivity check fails" : null };
    await this.#d.stores.vantages.beat(record);
  }

  /** Reads the other vantages' results and heartbeats; the leader alerts a vantage lost or back. */
  async refresh(): Promise<void> {
    await this.#d.view.refresh();
    const now = this.#d.clock.now();
    const all = this.vantages();
    this.#live = liveNames(all);
    const others = all.filter((v) => v.name !== this.#d.vantage.name);
    const tracked = trackLiveness(this.#liveness, others, now);
    this.#liveness = tracked.memory;
    if (!this.leading()) return;
    const region = (name: string) => this.#d.view.vantages().find((v) => v.name === name)?.region ?? "";
    const events: AlertEvent[] = [];
    for (const c of tracked.changes) {
      const name = c.vantage.name;
      if (c.kind === "lost") {
        this.#lostSeenAt.set(name, c.vantage.seenAt);
        const detail = c.vantage.why === "unhealthy" ? `its own connectivity check fails${c.vantage.detail === null ? "" : ` (${c.vantage.detail})`}` : `no heartbeat for ${Math.round(Math.abs(now - c.vantage.seenAt) / 1000)} s`;
        this.#d.log.warn({ vantage: name, why: c.vantage.why }, "a watcher of the fleet is lost: its results are not counted");
        events.push({ kind: "vantage-lost", at: now, vantage: name, region: region(name), lastSeenAt: c.vantage.seenAt, detail });
      } else {
        const lastSeenAt = this.#lostSeenAt.get(name) ?? c.lostSince;
        this.#lostSeenAt.delete(name);
        this.#d.log.info({ vantage: name }, "a watcher of the fleet is back");
        events.push({ kind: "vantage-back", at: now, vantage: name, region: region(name), lastSeenAt, lostForMs: Math.max(0, now - c.lostSince) });
      }
    }
    if (events.length > 0) await this.#d.alerts.enqueue(events);
  }

  /**
   * Whether someone leads: this watcher, or the lease's holder whose heartbeat is live. Nobody for
   * 2 probe intervals (the database is out of reach, or every watcher is stuck) is this watcher's
   * own "no-leader" fault, sent straight to the channels.
   */
  async checkLeader(): Promise<void> {
    const seen = await this.#someoneLeads().catch((e: unknown) => `the lease cannot be read (${(e as Error).message})`);
    const now = this.#d.clock.monotonic();
    if (seen === true) {
      this.#leaderSeenAt = now;
      await this.#d.noLeader.clear("a watcher leads again");
      return;
    }
    const forMs = now - this.#leaderSeenAt;
    if (forMs > 2 * this.#d.intervalMs) await this.#d.noLeader.raise(`${this.#d.vantage.name} has seen no leader for ${Math.round(forMs / 1000)} s: ${seen}; node failures are neither alerted nor acted on meanwhile`);
  }

  async #someoneLeads(): Promise<true | string> {
    if (this.leading()) return true;
    const lease = await this.#d.stores.leases.currentLease(LEADER_LEASE);
    if (lease === null) return "no watcher has ever held the lease";
    // Timed by the database's clock: an interval of slack for the difference from this one.
    if (lease.expiresAt + this.#d.intervalMs < this.#d.clock.now()) return `the lease lapsed at ${new Date(lease.expiresAt).toISOString()} and nobody took it`;
    const holder = this.vantages().find((v) => v.holder === lease.holder);
    if (holder === undefined || holder.why === "silent") return `the lease's holder ${lease.holder} sends no heartbeat`;
    return true;
  }

  async #gain(fence: Fence): Promise<void> {
    // A lease held without taking over the states would be a leader that never acts: try until it works or the lease is gone.
    for (;;) {
      try {
        await this.#d.engine.lead();
        break;
      } catch (e) {
        this.#d.log.error({ error: (e as Error).message }, `could not take over the fleet's states: trying again in ${GAIN_RETRY_MS / 1000} s`);
        await this.#d.clock.sleep(GAIN_RETRY_MS);
        if (!this.#d.guard.isLeader()) return this.#d.engine.follow();
      }
    }
    if (!this.#d.guard.isLeader()) return this.#d.engine.follow();
    const ctl = new AbortController();
    this.#fence = fence;
    this.#term = { abort: () => ctl.abort(), signal: ctl.signal };
    // A new leader tells again which vantages are lost (the dedupe keys keep it from repeating the last leader).
    this.#liveness = new Map();
    for (const w of this.#waiting.splice(0)) w();
  }

  #lose(): void {
    this.#d.engine.follow();
    this.#term?.abort();
    this.#term = null;
  }

  async #nextTerm(signal: AbortSignal): Promise<AbortSignal | null> {
    while (!signal.aborted) {
      if (this.#term !== null && !this.#term.signal.aborted) return this.#term.signal;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          resolve();
        };
        this.#waiting.push(done);
        signal.addEventListener("abort", done, { once: true });
      });
    }
    return null;
  }
}
