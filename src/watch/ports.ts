import type { Incident, IncidentEvent, NodeWatchState, ProbeRecord } from "./model.ts";
import type { WatchTarget } from "./fleet.ts";

/**
 * The watch capability's storage ports. Implementations: store/sqlite (the daemon's default) and
 * store/memory (unit tests); one contract suite per port runs against both (store/contracts).
 * Every method is one transaction: what resolved is durable (kill -9 loses nothing committed).
 */

export interface UptimeSummary {
  /** Probes that were ok / all probes, from raw results and hourly rollups together. */
  up: number;
  total: number;
  avgLatencyMs: number | null;
}

export interface SeriesPoint {
  /** Start of the bucket, ms. */
  at: number;
  up: number;
  total: number;
  avgLatencyMs: number | null;
}

export interface ProbeStore {
  /**
   * Appends a batch in one transaction, as seen from `vantage` (default "local": a single
   * watcher). A store that also implements fleet/ports.ts LatestProbeStore updates each
   * (node, vantage)'s newest result in the same transaction.
   */
  appendProbes(batch: readonly ProbeRecord[], vantage?: string): Promise<void>;
  /** Newest first, at most `limit`, raw results only. */
  recentProbes(nodeId: string, limit: number): Promise<ProbeRecord[]>;
  /** Times of the node's newest raw probe and newest ok raw probe (null when none is kept). */
  latestTimes(nodeId: string): Promise<{ probeAt: number | null; goodAt: number | null }>;
  /** Uptime and mean latency over [since, until): raw results where kept, hourly rollups before that. */
  uptime(nodeId: string, since: number, until: number): Promise<UptimeSummary>;
  /** Buckets of `bucketMs` (a multiple of one hour when older than the raw retention) over [since, until). */
  series(nodeId: string, since: number, until: number, bucketMs: number): Promise<SeriesPoint[]>;
  /**
   * Rolls raw results older than `rawBefore` into per-node, per-hour rows (up, total, latency sum
   * and count), deletes those raw rows, and deletes rollups older than `rollupBefore`.
   */
  compact(rawBefore: number, rollupBefore: number): Promise<{ rolledUp: number; deleted: number }>;
}

export interface IncidentStore {
  open(incident: Omit<Incident, "endedAt" | "timeline">, first: IncidentEvent): Promise<void>;
  append(incidentId: string, event: IncidentEvent): Promise<void>;
  close(incidentId: string, endedAt: number, last: IncidentEvent): Promise<void>;
  /** Incidents with no end, with their timelines. */
  openIncidents(): Promise<Incident[]>;
  /** Newest first. */
  list(filter: { nodeId?: string; since?: number; limit: number }): Promise<Incident[]>;
  get(incidentId: string): Promise<Incident | null>;
  /** When remediation last acted on the node (any incident), for the one-action-per-window rule. */
  lastRemediation(nodeId: string): Promise<number | null>;
  /** Deletes incidents that ended before `endedBefore`, with their timelines; open ones are kept. Returns how many. */
  prune(endedBefore: number): Promise<number>;
}

export interface NodeStateStore {
  /** Upserts, in one transaction. */
  save(states: readonly NodeWatchState[]): Promise<void>;
  loadAll(): Promise<NodeWatchState[]>;
  /** Forgets nodes that left the fleet. */
  remove(nodeIds: readonly string[]): Promise<void>;
}

/** The fleet as the provider last listed it, so the watcher can start (and go on) while the API is unreachable. */
export interface FleetSnapshot {
  /** When the provider answered, ms. */
  at: number;
  nodes: WatchTarget[];
}

export interface FleetSnapshotStore {
  /** Replaces the stored snapshot. */
  saveFleet(snapshot: FleetSnapshot): Promise<void>;
  /** The last snapshot saved, or null. */
  lastFleet(): Promise<FleetSnapshot | null>;
}
