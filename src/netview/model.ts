/**
 * What the network thinks of one SmartNode: each asked peer's answer, and the verdict drawn from
 * them. States are Core-Smart's own (CSmartnode::StateToString) where they can be computed from
 * what the messages carry; OUTPOINT_SPENT and POSE_SAPI_BAN need the chain or a peer's private
 * scores, which no message carries, so they are never claimed.
 */
import type { SmartnodeAnnounce, SmartnodePing } from "./codec.ts";

export const NETWORK_STATES = ["PRE_ENABLED", "ENABLED", "EXPIRED", "NEW_START_REQUIRED", "UPDATE_REQUIRED"] as const;
export type NetworkState = (typeof NETWORK_STATES)[number];

/**
 * The verdict's state: a Core-Smart state, or UNLISTED (every peer that answered sent nothing
 * for the outpoint: not in its list, or the peer is not synced, which looks the same), or
 * UNKNOWN (no peer could be asked).
 */
export type VerdictState = NetworkState | "UNLISTED" | "UNKNOWN";

export type PeerAnswer =
  | {
      kind: "listed";
      announce: SmartnodeAnnounce;
      /** The freshest of the announce's embedded ping and the mnp message. */
      ping: SmartnodePing | null;
    }
  /** The peer answered our ping but sent no inv for the outpoint. */
  | { kind: "unlisted" }
  /** No connection, no handshake or no answer in time. */
  | { kind: "unreachable"; detail: string }
  /** The peer sent bytes that do not decode, or an entry that is not the one asked for. */
  | { kind: "malformed"; detail: string };

export interface PeerView {
  /** host:port of the peer asked. */
  peer: string;
  answer: PeerAnswer;
  /** Present when answer.kind is "listed". */
  state?: NetworkState;
  /** ms since the epoch of the peer's last ping of the node; null when it has none. */
  lastPingAt?: number | null;
}

export interface NetworkVerdict {
  /** outpointKey: "txid-index". */
  outpoint: string;
  state: VerdictState;
  /** ms since the epoch of the ping the verdict rests on; null when none. */
  lastPingAt: number | null;
  /** Minutes left before the network marks the node EXPIRED (0 when past); null when unknown. */
  minutesToExpired: number | null;
  /** What the announce says; absent when no peer lists the node. */
  announced?: { addr: string; protocolVersion: number; at: number };
  /** Peers that list the node do not all say the same state. */
  disagreement: boolean;
  /** Things that are wrong in what the network carries (address, protocol, clock), one sentence each. */
  problems: string[];
  peers: PeerView[];
  /** ms since the epoch when the peers were asked. */
  askedAt: number;
}
