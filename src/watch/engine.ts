import type { AlertEvent, NodeRef } from "../alerts/event.ts";
import type { MonotonicClock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { NodeWatchState, ProbeRecord } from "./model.ts";
import type { IncidentStore, NodeStateStore, ProbeStore } from "./ports.ts";
import { rewardClock, type ExpiryRule } from "./reward-clock.ts";
import { initialState, observe, tick, type StateEvent, type WatchThresholds } from "./state.ts";
import { Connectivity } from "./connectivity.ts";

const MEDIAN_MAX_AGE_MS = 10_000;
const PROBE_TIMES_SAVE_MS = 5 * 60_000;

const later = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

export interface WatchedNode {
  nodeId: string;
  name: string;
  address: string;
  /** The provider instance id; absent for static hosts (nothing to reboot). */
  instanceId?: string;
}

export interface EngineDeps {
  clock: MonotonicClock;
  thresholds: WatchThresholds;
  expiry: ExpiryRule;
  probes: ProbeStore;
  incidents: IncidentStore;
  nodeStates: NodeStateStore;
  alerts: { enqueue(events: readonly AlertEvent[]): Promise<number> };
  /** Can the watcher reach the Internet at all? Asked only when every node fails at once. */
  selfCheck: () => Promise<boolean>;
  log: Logger;
  /** The vantage this watcher's probes are stored as (default "local": a single watcher). */
  vantage?: string;
  /**
   * Whether this engine acts at start (default true: a single watcher always does). A follower
   * of a fleet keeps each node's state from its own probes (for its confirm cadence and its
   * status) but opens no incident, saves no state and queues no node alert: the leader does.
   */
  leading?: boolean;
  /** Still the leader right now (the lease has not surely lapsed)? Asked before every act; default: yes. */
  stillLeading?: () => boolean;
  /** The leader's view of a node: its own probe combined with the other vantages' newest results (fleet/quorum.ts); default: the own probe. */
  verdict?: (own: ProbeRecord) => ProbeRecord;
}

/**
 * The watcher's memory: each node's state, fed by batches of probe results. Turns state events
 * into incidents (durable) and alerts (through the outbox), and holds node failures back while
 * the watcher itself is offline (one "watcher offline" event instead of N "down" alerts).
 */
export class WatchEngine {
  readonly #d: EngineDeps;
  readonly #states = new Map<string, NodeWatchState>();
  readonly #nodes = new Map<string, WatchedNode>();
  readonly #latest = new Map<string, ProbeRecord>();
  /** Watched nodes whose latest probe failed: "everyone fails" without a pass over the fleet per batch. */
  readonly #failing = new Set<string>();
  #median: { at: number; height: number | undefined } | undefined;
  /** The state of each node as last saved. */
  readonly #saved = new Map<string, NodeWatchState>();
  readonly #connectivity: Connectivity;
  #leading: boolean;

  constructor(deps: EngineDeps) {
    this.#d = deps;
    this.#leading = deps.leading ?? true;
    this.#connectivity = new Connectivity(deps.selfCheck, deps.clock);
  }

  /** Acts from now on, taking over the states the last leader saved (its open incidents continue, countdowns resume). */
  async lead(): Promise<void> {
    this.#leading = false;
    for (const id of this.#states.keys()) this.#states.set(id, initialState(id));
    this.#saved.clear();
    await this.load();
    this.#leading = true;
  }

  /** Stops acting (the lease was lost): states go on from the own probes, nothing is written or alerted. */
  follow(): void {
    this.#leading = false;
  }

  get leading(): boolean {
    return this.#leading;
  }

  #acting(): boolean {
    return this.#leading && (this.#d.stillLeading?.() ?? true);
  }

  /**
   * Loads the saved states: open incidents continue and countdowns resume after a restart. A
   * healthy node's state is saved only every few minutes (see #needsSave), so its probe times are
   * taken from the probes themselves, which every batch commits.
   */
  async load(): Promise<void> {
    for (const saved of await this.#d.nodeStates.loadAll()) {
      const t = await this.#d.probes.latestTimes(saved.nodeId);
      const s = { ...saved, lastProbeAt: later(saved.lastProbeAt, t.probeAt), lastGoodAt: later(saved.lastGoodAt, t.goodAt) };
      this.#states.set(s.nodeId, s);
      this.#saved.set(s.nodeId, saved);
    }
  }

  /** The latest time the loaded states hold (a probe, an incident's start), or null: what the clock must not read earlier than. */
  newestRecord(): number | null {
    let newest: number | null = null;
    for (const s of this.#states.values()) newest = later(newest, later(s.lastProbeAt, s.incident?.startedAt ?? null));
    return newest;
  }

  /** No node is failing and the watcher is online: nothing the state machine times is running. */
  quiet(): boolean {
    if (this.#connectivity.offline) return false;
    for (const s of this.#states.values()) if (s.incident !== null || s.health === "suspect" || s.health === "down" || s.health === "recovering") return false;
    return true;
  }

  /** The fleet as of the latest inventory; new nodes start unknown, departed ones are forgotten. */
  async setNodes(nodes: readonly WatchedNode[]): Promise<void> {
    const ids = new Set(nodes.map((n) => n.nodeId));
    const gone = [...this.#states.keys()].filter((id) => !ids.has(id));
    this.#nodes.clear();
    for (const n of nodes) {
      this.#nodes.set(n.nodeId, n);
      if (!this.#states.has(n.nodeId)) this.#states.set(n.nodeId, initialState(n.nodeId));
    }
    for (const id of gone) {
      this.#states.delete(id);
      this.#saved.delete(id);
      this.#latest.delete(id);
      this.#failing.delete(id);
    }
    if (gone.length > 0) await this.#d.nodeStates.remove(gone);
  }

  nodes(): WatchedNode[] {
    return [...this.#nodes.values()];
  }

  state(nodeId: string): NodeWatchState | undefined {
    return this.#states.get(nodeId);
  }

  latest(nodeId: string): ProbeRecord | undefined {
    return this.#latest.get(nodeId);
  }

  get offline(): boolean {
    return this.#connectivity.offline;
  }

  /** One batch of probe results: stored, checked against the watcher's own connectivity, folded into states. */
  async record(batch: readonly ProbeRecord[]): Promise<void> {
    if (batch.length === 0) return;
    await this.#d.probes.appendProbes(batch, this.#d.vantage);
    for (const p of batch) {
      this.#latest.set(p.nodeId, p);
      if (p.ok || !this.#nodes.has(p.nodeId)) this.#failing.delete(p.nodeId);
      else this.#failing.add(p.nodeId);
    }
    const everyoneFails = this.#nodes.size > 0 && this.#failing.size === this.#nodes.size;
    const change = await this.#connectivity.assess(batch.some((p) => !p.ok) && everyoneFails, batch.some((p) => p.ok));
    const events: AlertEvent[] = [];
    if (change !== null) {
      events.push(change);
      this.#d.log.warn({ event: change.kind }, change.kind === "watcher-offline" ? "the watcher itself is offline: node failures are held back" : "the watcher is back online");
    }
    const fleetHeight = this.#fleetHeight();
    const changed: NodeWatchState[] = [];
    const acting = this.#acting();
    for (const own of batch) {
      const s = this.#states.get(own.nodeId);
      if (s === undefined) continue;
      const p = acting && this.#d.verdict !== undefined ? this.#d.verdict(own) : own;
      if (!p.ok && this.#connectivity.offline) continue;
      const step = observe(s, p, this.#d.thresholds, fleetHeight);
      this.#states.set(p.nodeId, step.state);
      if (!acting) continue;
      if (this.#needsSave(step.state)) changed.push(step.state);
      events.push(...(await this.#apply(step.events, p.nodeId)));
    }
    // Queued before the states are saved: a kill between the two leaves states that derive the same
    // events again (same incident ids, so the same dedupe keys), never saved states whose alerts were lost.
    if (events.length > 0) await this.#d.alerts.enqueue(events);
    await this.#save(changed);
  }

  /** Time passes: escalations at 20 and 40 minutes down. */
  async tick(): Promise<void> {
    if (!this.#acting()) return;
    const now = this.#d.clock.now();
    const changed: NodeWatchState[] = [];
    const events: AlertEvent[] = [];
    for (const [id, s] of this.#states) {
      const step = tick(s, now, this.#d.thresholds);
      if (step.events.length === 0) continue;
      this.#states.set(id, step.state);
      changed.push(step.state);
      events.push(...(await this.#apply(step.events, id)));
    }
    if (events.length > 0) await this.#d.alerts.enqueue(events);
    await this.#save(changed);
  }

  /**
   * Whether a node's new state must be written now: anything the state machine decides on
   * changed, or its probe times are more than PROBE_TIMES_SAVE_MS ahead of the saved ones. A
   * healthy node's probes only move its times, and those are in the probes table anyway: saving
   * them on every probe would double the daemon's writes for nothing (load() takes them back).
   */
  #needsSave(s: NodeWatchState): boolean {
    const old = this.#saved.get(s.nodeId);
    if (old === undefined) return true;
    const material =
      old.health !== s.health || old.degraded !== s.degraded || old.failures !== s.failures || old.successes !== s.successes ||
      old.failingSince !== s.failingSince || old.incident !== s.incident;
    const stale = (a: number | null, b: number | null) => a !== b && (a === null || b === null || b - a >= PROBE_TIMES_SAVE_MS);
    return material || stale(old.lastGoodAt, s.lastGoodAt) || stale(old.lastProbeAt, s.lastProbeAt);
  }

  async #save(states: readonly NodeWatchState[]): Promise<void> {
    if (states.length === 0) return;
    await this.#d.nodeStates.save(states);
    for (const s of states) this.#saved.set(s.nodeId, s);
  }

  /** Persists incidents for state events and turns them into alerts. */
  async #apply(events: readonly StateEvent[], nodeId: string): Promise<AlertEvent[]> {
    const node = this.#ref(nodeId);
    const out: AlertEvent[] = [];
    for (const e of events) {
      const clock = "lastGoodAt" in e ? rewardClock(e.lastGoodAt, this.#d.expiry) : rewardClock(null, this.#d.expiry);
      switch (e.kind) {
        case "down":
          await this.#d.incidents.open({ id: e.incidentId, nodeId, startedAt: e.since, lastGoodAt: e.lastGoodAt, cause: e.cause }, { at: e.at, kind: "down", detail: e.cause });
          this.#d.log.warn({ node: node.name, cause: e.cause, incident: e.incidentId }, "node down");
          out.push({ kind: "down", at: e.at, node, incidentId: e.incidentId, since: e.since, cause: e.cause, clock });
          break;
        case "escalation":
          await this.#d.incidents.append(e.incidentId, { at: e.at, kind: "escalation", detail: `down ${e.minutesDown} minutes` });
          this.#d.log.warn({ node: node.name, minutes: e.minutesDown }, "node still down");
          out.push({ kind: "escalation", at: e.at, node, incidentId: e.incidentId, since: e.since, minutesDown: e.minutesDown, cause: e.cause, clock });
          break;
        case "recovered":
          await this.#d.incidents.close(e.incidentId, e.at, { at: e.at, kind: "recovered", detail: `down for ${Math.round(e.downForMs / 60_000)} min` });
          this.#d.log.info({ node: node.name, downMinutes: Math.round(e.downForMs / 60_000) }, "node recovered");
          out.push({ kind: "recovered", at: e.at, node, incidentId: e.incidentId, since: e.since, downForMs: e.downForMs });
          break;
        case "degraded":
          this.#d.log.warn({ node: node.name, reason: e.reason }, "node degraded");
          out.push({ kind: "degraded", at: e.at, node, reason: e.reason });
          break;
        case "degraded-cleared":
          this.#d.log.info({ node: node.name }, "node no longer degraded");
          break;
      }
    }
    return out;
  }

  #ref(nodeId: string): NodeRef {
    const n = this.#nodes.get(nodeId);
    return { id: nodeId, name: n?.name ?? nodeId, address: n?.address ?? "" };
  }

  /**
   * Median height of the fleet's latest good probes (the degraded check's yardstick), worked out
   * at most every 10 s: blocks come every 55 s, and sorting 10,000 heights per batch of probes
   * would cost more than the probes.
   */
  #fleetHeight(): number | undefined {
    const now = this.#d.clock.now();
    if (this.#median !== undefined && now - this.#median.at < MEDIAN_MAX_AGE_MS && now >= this.#median.at) return this.#median.height;
    const hs: number[] = [];
    for (const p of this.#latest.values()) if (p.ok && p.height !== null) hs.push(p.height);
    hs.sort((a, b) => a - b);
    const height = hs.length === 0 ? undefined : hs[Math.floor(hs.length / 2)];
    // An empty fleet is not cached: the first good probes set the yardstick at once.
    this.#median = height === undefined ? undefined : { at: now, height };
    return height;
  }
}
