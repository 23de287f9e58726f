/**
 * What `verify` observed from outside, per address. Structural types: the scanner, the P2P
 * handshake and the SAPI probe each return a superset of these.
 */

export type PortState = "open" | "closed" | "filtered";

export interface PortObservation {
  port: number;
  state: PortState;
  reason: string;
}

export type HandshakeObservation =
  | { status: "up"; latencyMs: number; protocolVersion: number; userAgent: string; startHeight: number }
  | { status: "down"; reason: string; detail: string; rejectCode?: number; rejectReason?: string };

export type SapiObservation =
  | { status: "up"; latencyMs: number; version: string; blocks: number; protocolVersion?: number }
  | { status: "down"; reason: string; detail: string };

export interface AddressEvidence {
  address: string;
  family: 4 | 6;
  ports: readonly PortObservation[];
  handshake?: { port: number; result: HandshakeObservation };
  sapi?: { port: number; result: SapiObservation };
}

/** A node to verify: a provider instance or a static host from the config. */
export interface VerifyTarget {
  name: string;
  /** Provider instance id; absent for static hosts. */
  id?: string;
  source: "provider" | "static";
  addresses: readonly { address: string; family: 4 | 6 }[];
}

/** What the policy says every node must and may expose. */
export interface VerifyExpectation {
  /** TCP ports that must be open (the coin's). */
  required: readonly { port: number; purpose: string }[];
  /** TCP ports that may be open or closed (admin access from chosen sources): never a finding. */
  allowed: readonly number[];
  /** The network's minimum protocol version, when the coin has a P2P profile. */
  minProtocolVersion?: number;
}
