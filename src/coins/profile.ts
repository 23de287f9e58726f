/**
 * A coin profile: everything nodeward needs to know about one masternode coin — which ports its
 * nodes must accept from the Internet, how its P2P wire format looks, where its health API lives
 * and how long a node may be unreachable. Profiles are data; `index.ts` is the only registry.
 */

import type { SmartnodeListParams } from "./smartnode-list.ts";

export type PortProtocol = "tcp" | "udp";

export interface CoinPort {
  protocol: PortProtocol;
  /** First (or only) port, 1–65535. */
  port: number;
  /** Last port of an inclusive range ("8000:8080" → port 8000, portEnd 8080); absent for one port. */
  portEnd?: number;
  /** Short tag shown in plans and audits: "P2P", "SAPI", "extra". */
  purpose: string;
  /** Why this port must be reachable, one sentence for plans and audits. */
  why: string;
}

export type P2pChecksum = "keccak256" | "sha256d";

export interface CoinP2p {
  /** Message start bytes, hex, in wire order ("5ca1ab1e"). */
  magic: string;
  /** Hash whose first 4 bytes are the message checksum. */
  checksum: P2pChecksum;
  defaultPort: number;
  protocolVersion: number;
  minProtocolVersion: number;
  /** Whether the addresses inside `version` carry a 4-byte time (30 bytes each instead of 26). */
  addrWithTime: boolean;
  userAgent?: string;
}

export interface SapiParams {
  port: number;
  /** HTTP GET path answering with version, blocks and connections. */
  statusPath: string;
}

export interface ExpiryParams {
  pingIntervalMinutes: number;
  /** Without an accepted ping for this long the node is EXPIRED (not paid). */
  expiredMinutes: number;
  /** Without an accepted ping for this long the node needs a new start (a full payment cycle lost). */
  newStartRequiredMinutes: number;
}

export interface CoinProfile {
  /** Persisted in configs and stores: never rename. */
  id: string;
  name: string;
  ports: readonly CoinPort[];
  p2p?: CoinP2p;
  sapi?: SapiParams;
  expiry?: ExpiryParams;
  /** Present when the network's own SmartNode list can be asked for one entry (netview/). */
  smartnodeList?: SmartnodeListParams;
  /** One paragraph for docs and the audit. */
  notes: string;
}

/** "9678" or "8000:8080": the port text firewall rules use. */
export function portText(p: Pick<CoinPort, "port" | "portEnd">): string {
  return p.portEnd === undefined || p.portEnd === p.port ? String(p.port) : `${p.port}:${p.portEnd}`;
}
