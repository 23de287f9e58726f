import type { ProbeRecord } from "../watch/model.ts";

/**
 * The fleet capability's storage ports: several watchers ("vantages") share one database, each
 * probing every node and writing its results; one of them (the leader, holding a lease) turns
 * the vantages' results into verdicts, incidents, alerts and reboots. Implementations: memory,
 * SQLite (one vantage, one leader: what a single watcher has always been) and PostgreSQL (the
 * shared database of a fleet); one contract suite per port runs against all three.
 */

/** A vantage's heartbeat: who it is, and whether it can be counted (its own connectivity check passes). */
export interface VantageRecord {
  /** Unique in the fleet ("fra-1"). */
  name: string;
  /** Free text for people ("Frankfurt, Hetzner"). */
  region: string;
  /** This run of the watcher process ("fra-1/4f0c…"); a restarted watcher is a new holder. */
  holder: string;
  /** When this run started, ms (by the watcher's clock). */
  startedAt: number;
  /** The heartbeat, ms (by the watcher's clock). */
  seenAt: number;
  /** Its self-check passes: its failures are about the nodes, not about itself. */
  healthy: boolean;
  /** Why not healthy, for people; null when healthy. */
  detail: string | null;
}

export interface VantageStore {
  /** Upserts the vantage's row (by name). */
  beat(v: VantageRecord): Promise<void>;
  /** Every vantage ever seen, by name. */
  vantages(): Promise<VantageRecord[]>;
  /** Forgets a vantage (retired by the operator). */
  forget(name: string): Promise<void>;
}

/** A vantage's newest result for one node, with its place in the change feed. */
export interface VantageProbe extends ProbeRecord {
  vantage: string;
  /** Increases with every change, across the whole table: a reader asks for what came after the last one it saw. */
  seq: number;
}

export interface LatestProbeStore {
  /**
   * The newest result per (node, vantage) that changed after `cursor` (0: all), oldest change
   * first, at most `limit`; `cursor` in the answer is the last row's seq (the argument when none).
   * Written by ProbeStore.appendProbes in the same transaction as the raw results.
   */
  latestSince(cursor: number, limit: number): Promise<{ rows: VantageProbe[]; cursor: number }>;
  /** Forgets the newest results of nodes that left the fleet (all vantages). */
  forgetLatest(nodeIds: readonly string[]): Promise<void>;
}

/** A lease: one holder at a time, each new holder with a larger token (the fencing token). */
export interface Lease {
  name: string;
  holder: string;
  token: number;
  /** When it lapses unless renewed, ms, by the store's clock (PostgreSQL's, for a fleet). */
  expiresAt: number;
}

/** What a leader presents with a write only a leader may make: refused unless it still holds the lease. */
export interface Fence {
  name: string;
  holder: string;
  token: number;
}

export interface LeaseStore {
  /**
   * Takes the lease for `ttlMs`, atomically, by the store's clock: granted when nobody holds it,
   * when it lapsed, or when `holder` holds it (a renewal: the token stays). A new holder gets the
   * previous token + 1 (1 for the first). null when another holder's lease is still running.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease | null>;
  /** Lets go at once (a clean stop), if `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** The lease as stored (possibly lapsed), or null when never taken. */
  currentLease(name: string): Promise<Lease | null>;
}

/** The vantage a single watcher writes as, when none is configured. */
export const LOCAL_VANTAGE = "local";

/** The ports a store adds for a fleet of watchers, beside store/stores.ts Stores. */
export interface FleetStores {
  latest: LatestProbeStore;
  vantages: VantageStore;
  leases: LeaseStore;
}
