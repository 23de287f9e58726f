/**
 * The `version` message in both layouts (NOTES §1.6): SmartCash's 30-byte addresses with time,
 * Bitcoin's 26-byte ones, and the Dash-family fields after `relay`. Reading follows SmartCash's
 * ProcessMessage: version, services, timestamp and addr_recv are required; each later group
 * (addr_from + nonce, user agent, start height, relay, …) is read only if bytes remain, and a
 * group that starts but does not finish is an error ("error parsing message" on a real node).
 */
import { AppError } from "../core/errors.ts";
import { readAddress, writeAddress, type NetAddress } from "./netaddr.ts";
import type { P2pParams } from "./params.ts";
import { ByteReader, ByteWriter, utf8, type Decoded } from "./wire.ts";

/** net.h MAX_SUBVERSION_LENGTH. */
export const MAX_SUBVERSION_LENGTH = 256;
export const MNAUTH_CHALLENGE_SIZE = 32;

export type VersionLayout = Pick<P2pParams, "addrWithTime" | "versionExtra">;

export interface VersionMessage {
  version: number;
  services: bigint;
  /** Seconds since the epoch (int64). */
  timestamp: bigint;
  /** The address of the peer this message is sent to ("addrYou"/"addrMe" depending on the side). */
  addrRecv: NetAddress;
  addrFrom?: NetAddress;
  nonce?: bigint;
  userAgent?: string;
  startHeight?: number;
  relay?: boolean;
  /** Dash family only. */
  mnAuthChallenge?: Uint8Array;
  masternodeConnection?: boolean;
}

/**
 * Writes the fields up to the first missing optional group, so a truncated message round-trips.
 * Throws only for a user agent over 256 bytes, which every node would refuse.
 */
export function encodeVersion(m: VersionMessage, layout: VersionLayout): Uint8Array {
  const w = new ByteWriter(160);
  w.i32le(m.version).u64le(m.services).i64le(m.timestamp);
  writeAddress(w, m.addrRecv, layout.addrWithTime);
  if (m.addrFrom === undefined || m.nonce === undefined) return w.finish();
  writeAddress(w, m.addrFrom, layout.addrWithTime);
  w.u64le(m.nonce);
  if (m.userAgent === undefined) return w.finish();
  if (utf8(m.userAgent).length > MAX_SUBVERSION_LENGTH) {
    throw new AppError("USAGE", `user agent must be at most ${MAX_SUBVERSION_LENGTH} bytes (MAX_SUBVERSION_LENGTH), got ${utf8(m.userAgent).length}`);
  }
  w.varStr(m.userAgent);
  if (m.startHeight === undefined) return w.finish();
  w.i32le(m.startHeight);
  if (m.relay === undefined) return w.finish();
  w.bool(m.relay);
  if (layout.versionExtra !== "dash-mnauth" || m.mnAuthChallenge === undefined) return w.finish();
  w.bytes(m.mnAuthChallenge.subarray(0, MNAUTH_CHALLENGE_SIZE));
  if (m.masternodeConnection !== undefined) w.bool(m.masternodeConnection);
  return w.finish();
}

export function decodeVersion(payload: Uint8Array, layout: VersionLayout): Decoded<VersionMessage> {
  const r = new ByteReader(payload);
  const m: VersionMessage = {
    version: r.i32le("version.version"),
    services: r.u64le("version.services"),
    timestamp: r.i64le("version.timestamp"),
    addrRecv: readAddress(r, layout.addrWithTime, "version.addr_recv"),
  };
  if (r.error === undefined && r.remaining > 0) {
    m.addrFrom = readAddress(r, layout.addrWithTime, "version.addr_from");
    m.nonce = r.u64le("version.nonce");
  }
  if (r.error === undefined && r.remaining > 0) m.userAgent = r.varStr("version.user_agent", MAX_SUBVERSION_LENGTH);
  if (r.error === undefined && r.remaining > 0) m.startHeight = r.i32le("version.start_height");
  if (r.error === undefined && r.remaining > 0) m.relay = r.bool("version.relay");
  if (layout.versionExtra === "dash-mnauth") {
    if (r.error === undefined && r.remaining > 0) m.mnAuthChallenge = r.bytes(MNAUTH_CHALLENGE_SIZE, "version.mnauth_challenge");
    if (r.error === undefined && r.remaining > 0) m.masternodeConnection = r.bool("version.masternode_connection");
  }
  return r.error === undefined ? { kind: "ok", value: m } : { kind: "error", error: r.error };
}
