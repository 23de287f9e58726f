/**
 * The 24-byte message header (NOTES §1.5): magic, 12-byte NUL-padded ASCII command, uint32 LE
 * payload length, 4-byte checksum. `encodeFrame` writes a whole message; `parseHeader` checks a
 * header the way CMessageHeader::IsValid does, plus nodeward's own payload cap.
 */
import { AppError } from "../core/errors.ts";
import { checksumOf } from "./checksum.ts";
import type { P2pParams } from "./params.ts";

export const HEADER_SIZE = 24;
export const COMMAND_SIZE = 12;
/** serialize.h MAX_SIZE: no node accepts a payload above this. */
export const MAX_SIZE = 0x02000000;
/** Default payload cap for a handshake: far below MAX_SIZE, far above any handshake message. */
export const DEFAULT_MAX_PAYLOAD = 4 * 1024 * 1024;

export type FrameParams = Pick<P2pParams, "magic" | "checksum">;

export type HeaderProblem = "bad-magic" | "bad-header" | "too-large";

export type ParsedHeader =
  /** checksum: the header's 4 checksum bytes as a little-endian uint32 (checksum.ts checksumWord). */
  | { kind: "header"; command: string; length: number; checksum: number }
  | {
      kind: "problem";
      problem: HeaderProblem;
      detail: string;
      /** The command, when the rest of the header looks like a real frame (tells another network's frame from noise). */
      command?: string;
      /** For "bad-header": the payload length, so the message can be skipped as SmartCash does. */
      length?: number;
    };

/** The command of a 12-byte field, or why it is invalid: printable ASCII, then NULs only. */
export function readCommand(field: Uint8Array): { kind: "ok"; command: string } | { kind: "invalid"; detail: string } {
  let command = "";
  let ended = false;
  for (let i = 0; i < COMMAND_SIZE; i++) {
    const c = field[i] ?? 0;
    if (c === 0) {
      ended = true;
    } else if (ended) {
      return { kind: "invalid", detail: `command has byte 0x${hex2(c)} after its terminating NUL (offset ${i})` };
    } else if (c < 0x20 || c > 0x7e) {
      return { kind: "invalid", detail: `command has non-printable byte 0x${hex2(c)} at offset ${i}` };
    } else {
      command += String.fromCharCode(c);
    }
  }
  return { kind: "ok", command };
}

export function parseHeader(header: Uint8Array, params: FrameParams, maxPayload: number): ParsedHeader {
  const cmd = readCommand(header.subarray(4, 16));
  const command = cmd.kind === "ok" ? cmd.command : undefined;
  const length = u32At(header, 16);
  const m = params.magic;
  if (header[0] !== m[0] || header[1] !== m[1] || header[2] !== m[2] || header[3] !== m[3]) {
    const detail = `expected magic ${hexOf(m)}, got ${hexOf(header.subarray(0, 4))}`;
    const looksLikeFrame = command !== undefined && /^[a-z0-9]+$/.test(command) && length <= MAX_SIZE;
    return looksLikeFrame ? { kind: "problem", problem: "bad-magic", detail, command } : { kind: "problem", problem: "bad-magic", detail };
  }
  if (length > maxPayload) {
    const why = length > MAX_SIZE ? `above MAX_SIZE ${MAX_SIZE}` : `above this reader's cap of ${maxPayload}`;
    return { kind: "problem", problem: "too-large", detail: `payload length ${length} is ${why}`, ...(command ? { command } : {}) };
  }
  if (cmd.kind === "invalid") return { kind: "problem", problem: "bad-header", detail: cmd.detail, length };
  if (command === "") return { kind: "problem", problem: "bad-header", detail: "command is empty", length };
  return { kind: "header", command: command ?? "", length, checksum: u32At(header, 20) };
}

/** Little-endian uint32 at `at`: every header is read, so without a DataView or a copy. */
function u32At(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** A whole message: header then payload. Throws only for a command nodeward itself got wrong. */
export function encodeFrame(params: FrameParams, command: string, payload: Uint8Array): Uint8Array {
  if (command.length === 0 || command.length > COMMAND_SIZE || !/^[\x20-\x7e]+$/.test(command)) {
    throw new AppError("INTERNAL", `P2P command must be 1–12 printable ASCII characters, got ${JSON.stringify(command)}`);
  }
  const out = new Uint8Array(HEADER_SIZE + payload.length);
  const view = new DataView(out.buffer);
  out.set(params.magic.subarray(0, 4), 0);
  for (let i = 0; i < command.length; i++) out[4 + i] = command.charCodeAt(i);
  view.setUint32(16, payload.length, true);
  out.set(checksumOf(params.checksum, payload), 20);
  out.set(payload, HEADER_SIZE);
  return out;
}

export function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, hex2).join("");
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, "0");
}
