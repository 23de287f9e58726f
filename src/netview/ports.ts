/**
 * The seams of the network view: what the watcher asks about (targets), the function that asks
 * (survey.ts implements it over TCP; tests may pass the simulator's), and what the store keeps.
 */
import type { NetworkVerdict, VerdictState } from "./model.ts";
import type { Outpoint } from "./outpoint.ts";
import type { ExpectedService } from "./rules.ts";

/** A peer to ask: host (IP or name) and P2P port. */
export interface PeerAddress {
  host: string;
  port: number;
}

export interface NetviewTarget {
  /** The watched node's id (instance id or static host name); verdicts come back keyed by it. */
  nodeId: string;
  alias: string;
  outpoint: Outpoint;
  /** The node's own addresses and port: the announce must match them, and it is never asked about itself. */
  expected: ExpectedService;
}

export interface SurveyOptions {
  /** Peers besides the fleet's nodes (netview.peers), asked first. */
  peers: readonly PeerAddress[];
  /** The fleet's nodes that answer the handshake: candidates to ask about the others. */
  fleetPeers: readonly PeerAddress[];
  peersPerNode: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TargetVerdict {
  nodeId: string;
  verdict: NetworkVerdict;
}

export type Survey = (targets: readonly NetviewTarget[], opts: SurveyOptions) => Promise<TargetVerdict[]>;

/**
 * The condition the watcher alerts on, derived from a verdict and whether nodeward reaches the
 * node: ok, expired (network-expired), new-start (network-new-start-required), unseen
 * (unseen-by-network: reachable, but the network has no fresh ping), unknown (no peer answered).
 */
export type NetworkCondition = "ok" | "expired" | "new-start" | "unseen" | "unknown";

/** One row per node: the latest verdict, kept so `status`, the dashboard and a restarted watcher see it. */
export interface NetviewRecord {
  nodeId: string;
  outpoint: string;
  state: VerdictState;
  lastPingAt: number | null;
  minutesToExpired: number | null;
  askedAt: number;
  condition: NetworkCondition;
  /** When the current condition began (ms): the alert's dedupe key and "since" in status. */
  conditionSince: number;
  /** The verdict as JSON (peers, problems, announce): bounded by the number of peers asked. */
  detail: string;
}

export interface NetviewStore {
  /** Replaces the rows of the nodes given (one transaction). */
  saveNetview(records: readonly NetviewRecord[]): Promise<void>;
  /** Every node's latest row, ordered by node id (byte order of its UTF-8). */
  latestNetview(): Promise<NetviewRecord[]>;
  /** Drops the rows of nodes no longer watched (every row when the list is empty); resolves to how many. */
  pruneNetview(keepNodeIds: readonly string[]): Promise<number>;
}
