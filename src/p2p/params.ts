/**
 * Wire parameters of one Bitcoin-family network: what the codec needs to frame and read
 * messages. Built from a coin profile (`p2pParamsFor`) so that the codec never looks coins up.
 */
import { InternalError } from "../core/errors.ts";
import type { CoinProfile, P2pChecksum } from "../coins/index.ts";

export type VersionExtra = "dash-mnauth";

export interface P2pParams {
  /** Message start, 4 bytes in wire order. Treat as read-only. */
  magic: Uint8Array;
  /** Hash whose first 4 bytes are the message checksum. */
  checksum: P2pChecksum;
  /** What we announce in our own `version`. */
  protocolVersion: number;
  /** Peers below this are refused (SmartCash: MIN_PEER_PROTO_VERSION 90034). */
  minProtocolVersion: number;
  /** Addresses inside `version` carry a 4-byte time: 30 bytes each (SmartCash, Firo) instead of 26 (Bitcoin). */
  addrWithTime: boolean;
  /** Fields after `relay`: Dash-family 32-byte mnauth challenge and a masternode-connection bool. */
  versionExtra?: VersionExtra;
}

/** Parses 8 hex digits ("5ca1ab1e") into the 4 magic bytes, in the order written. */
export function magicFromHex(hex: string): Uint8Array {
  if (!/^[0-9a-fA-F]{8}$/.test(hex)) {
    throw new InternalError(`P2P magic must be 8 hex digits in wire order (e.g. "5ca1ab1e"), got ${JSON.stringify(hex)}`);
  }
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * The codec parameters of a coin, or undefined when the profile has no P2P section.
 * `versionExtra` is read when the profile carries it (coins/profile.ts may add the field later).
 */
export function p2pParamsFor(profile: CoinProfile): P2pParams | undefined {
  const p2p = profile.p2p;
  if (p2p === undefined) return undefined;
  const params: P2pParams = {
    magic: magicFromHex(p2p.magic),
    checksum: p2p.checksum,
    protocolVersion: p2p.protocolVersion,
    minProtocolVersion: p2p.minProtocolVersion,
    addrWithTime: p2p.addrWithTime,
  };
  const extra = (p2p as { versionExtra?: unknown }).versionExtra;
  if (extra === "dash-mnauth") params.versionExtra = extra;
  return params;
}

/**
 * Bitcoin mainnet, for cross-checks of the generic codec (NOTES §4: bitcoin/bitcoin chainparams
 * and protocol_version.h): magic f9beb4d9, double SHA-256, 26-byte version addresses.
 */
export const BITCOIN_MAINNET: P2pParams = {
  magic: magicFromHex("f9beb4d9"),
  checksum: "sha256d",
  protocolVersion: 70016,
  minProtocolVersion: 31800,
  addrWithTime: false,
};
