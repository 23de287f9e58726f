/**
 * The handshake's messages as values: version, verack, reject, ping/pong, sendheaders. Any other
 * command is surfaced as raw bytes (the reader has already skipped it by length). Decoding never
 * throws: every input gives a message or a typed DecodeError.
 */
import { COMMAND_SIZE, encodeFrame } from "./frame.ts";
import type { P2pParams } from "./params.ts";
import { decodeVersion, encodeVersion, type VersionLayout, type VersionMessage } from "./version.ts";
import { ByteReader, ByteWriter, type Decoded } from "./wire.ts";

/** consensus/validation.h REJECT_* codes. */
export const REJECT_MALFORMED = 0x01;
export const REJECT_INVALID = 0x10;
export const REJECT_OBSOLETE = 0x11;
export const REJECT_DUPLICATE = 0x12;
export const REJECT_NONSTANDARD = 0x40;
/** main.h MAX_REJECT_MESSAGE_LENGTH. */
export const MAX_REJECT_REASON_LENGTH = 111;

export interface RejectMessage {
  /** The command being rejected ("version"). */
  message: string;
  code: number;
  reason: string;
  /** 32-byte hash, sent for rejected blocks and transactions. */
  data?: Uint8Array;
}

export type P2pMessage =
  | { type: "version"; version: VersionMessage }
  | { type: "verack" }
  | { type: "reject"; reject: RejectMessage }
  | { type: "ping"; nonce: bigint }
  | { type: "pong"; nonce: bigint }
  | { type: "sendheaders" }
  | { type: "other"; command: string; payload: Uint8Array };

export function commandOf(m: P2pMessage): string {
  return m.type === "other" ? m.command : m.type;
}

export function encodePayload(m: P2pMessage, layout: VersionLayout): Uint8Array {
  switch (m.type) {
    case "version":
      return encodeVersion(m.version, layout);
    case "verack":
    case "sendheaders":
      return new Uint8Array(0);
    case "ping":
    case "pong":
      return new ByteWriter(8).u64le(m.nonce).finish();
    case "reject":
      return encodeReject(m.reject);
    case "other":
      return m.payload;
  }
}

/** Header + payload under `params` (magic, checksum, version layout). */
export function frameMessage(params: P2pParams, m: P2pMessage): Uint8Array {
  return encodeFrame(params, commandOf(m), encodePayload(m, params));
}

export function encodeReject(r: RejectMessage): Uint8Array {
  const w = new ByteWriter(48).varStr(r.message).u8(r.code).varStr(r.reason);
  if (r.data !== undefined) w.bytes(r.data);
  return w.finish();
}

export function decodeReject(payload: Uint8Array): Decoded<RejectMessage> {
  const r = new ByteReader(payload);
  const message = r.varStr("reject.message", COMMAND_SIZE);
  const code = r.u8("reject.code");
  const reason = r.varStr("reject.reason", MAX_REJECT_REASON_LENGTH);
  const value: RejectMessage = { message, code, reason };
  if (r.error === undefined && r.remaining > 0) value.data = r.bytes(32, "reject.data");
  return r.error === undefined ? { kind: "ok", value } : { kind: "error", error: r.error };
}

function decodeNonce(payload: Uint8Array, field: string): Decoded<bigint> {
  const r = new ByteReader(payload);
  const nonce = r.u64le(field);
  return r.error === undefined ? { kind: "ok", value: nonce } : { kind: "error", error: r.error };
}

/** Decodes a payload that arrived under `command`. Known commands are checked; others pass through. */
export function decodeMessage(command: string, payload: Uint8Array, layout: VersionLayout): Decoded<P2pMessage> {
  switch (command) {
    case "version": {
      const v = decodeVersion(payload, layout);
      return v.kind === "ok" ? { kind: "ok", value: { type: "version", version: v.value } } : v;
    }
    case "verack":
      return { kind: "ok", value: { type: "verack" } };
    case "sendheaders":
      return { kind: "ok", value: { type: "sendheaders" } };
    case "ping":
    case "pong": {
      const n = decodeNonce(payload, `${command}.nonce`);
      return n.kind === "ok" ? { kind: "ok", value: { type: command, nonce: n.value } } : n;
    }
    case "reject": {
      const r = decodeReject(payload);
      return r.kind === "ok" ? { kind: "ok", value: { type: "reject", reject: r.value } } : r;
    }
    default:
      return { kind: "ok", value: { type: "other", command, payload } };
  }
}
