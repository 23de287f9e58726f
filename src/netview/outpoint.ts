/**
 * A SmartNode's collateral outpoint: the transaction id (as explorers, wallets and smartnode.conf
 * print it) and the output index. On the wire the id is the uint256 in its internal byte order,
 * which is the printed hex reversed (uint256::ToString / SetHex in Core-Smart src/uint256.cpp).
 */
import { InternalError } from "../core/errors.ts";
import type { ByteReader, ByteWriter } from "../p2p/wire.ts";

export interface Outpoint {
  /** 64 lower-case hex digits, display order. */
  txid: string;
  /** uint32 output index. */
  index: number;
}

const TXID = /^[0-9a-fA-F]{64}$/;
/** COutPoint::SetNull: a zero hash and n = (uint32_t)-1. A dseg naming it asks for the whole list. */
const NULL_INDEX = 0xffffffff;
/** 64 hex digits, a separator and 10 digits, with room for surrounding blanks; longer text is not an outpoint. */
const MAX_OUTPOINT_TEXT = 200;
/**
 * One unambiguous separator ("-", ":" or blanks) between the two groups: an earlier `\s*[-: ]\s*`
 * backtracked quadratically on long runs of blanks (100 KB took 16 s), and let a CR/LF between
 * the txid and the index pass as a separator.
 */
const OUTPOINT_TEXT = /^\s*([0-9a-fA-F]+)(?:[ \t]*[-:][ \t]*|[ \t]+)(\d+)\s*$/;

/** "txid-index", the key `smartnode list` prints and nodeward shows. */
export function outpointKey(o: Outpoint): string {
  return `${o.txid}-${o.index}`;
}

export function isNullOutpoint(o: Outpoint): boolean {
  return o.index === NULL_INDEX && /^0{64}$/.test(o.txid);
}

/** Accepts "txid-index", "txid:index" and "txid index" (smartnode.conf's columns); an error message otherwise. */
export function parseOutpoint(text: string): { ok: true; outpoint: Outpoint } | { ok: false; message: string } {
  const m = text.length > MAX_OUTPOINT_TEXT ? null : OUTPOINT_TEXT.exec(text);
  if (m === null) return { ok: false, message: `${JSON.stringify(clip(text))} is not a collateral outpoint: give the transaction id and the output index, e.g. 4e2a…9f1c-1` };
  return checkOutpoint(m[1]!, m[2]!);
}

export function checkOutpoint(txid: string, index: string | number): { ok: true; outpoint: Outpoint } | { ok: false; message: string } {
  if (!TXID.test(txid)) return { ok: false, message: `collateral txid must be 64 hex digits, got ${txid.length} characters` };
  const n = typeof index === "number" ? index : /^\d{1,10}$/.test(index) ? Number(index) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n >= NULL_INDEX) return { ok: false, message: `collateral output index must be 0–4294967294, got ${JSON.stringify(clip(String(index)))}` };
  const outpoint = { txid: txid.toLowerCase(), index: n };
  if (isNullOutpoint(outpoint)) return { ok: false, message: "the null outpoint names no collateral" };
  return { ok: true, outpoint };
}

/** Throws for text that is not 64 hex digits: parseInt would turn it into zero bytes, i.e. the null hash. */
export function txidToWire(txid: string): Uint8Array {
  if (!TXID.test(txid)) throw new InternalError(`a uint256 must be 64 hex digits, got ${txid.length} characters`);
  // Checked above: 64 hex digits, so Buffer.from reads all 32 bytes (it stops at a bad digit).
  const bytes = Buffer.from(txid, "hex");
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[31 - i] = bytes[i]!;
  return out;
}

/** Each byte's two hex digits: an outpoint or a hash is read thousands of times a survey. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** uint256 bytes as uint256::ToString prints them (reversed hex). */
export function hashToDisplay(wire: Uint8Array): string {
  let hex = "";
  for (let i = wire.length - 1; i >= 0; i--) hex += HEX[wire[i]!]!;
  return hex;
}

/** COutPoint: uint256 hash, uint32 n (src/primitives/transaction.h, COutPoint::SerializationOp). */
export function writeOutpoint(w: ByteWriter, o: Outpoint): void {
  // u32le wraps (-1 >>> 0 is 0xffffffff): an index out of range could write the null outpoint.
  if (!Number.isInteger(o.index) || o.index < 0 || o.index > NULL_INDEX) throw new InternalError(`an outpoint index must be 0–4294967295, got ${o.index}`);
  w.bytes(txidToWire(o.txid)).u32le(o.index);
}

export function readOutpoint(r: ByteReader, field: string): Outpoint {
  const txid = r.hexReversed(32, `${field}.hash`);
  const index = r.u32le(`${field}.n`);
  return { txid: txid.length === 64 ? txid : "0".repeat(64), index };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
