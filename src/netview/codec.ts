/**
 * The messages that carry the network's view of one SmartNode, written from SmartCash/Core-Smart
 * @0f6029c1 (not from Dash's documentation: the ping carries a CTxIn, not a COutPoint, and the
 * hashes are one SHA-256, not two):
 *
 * - `dseg`: one COutPoint (smartnodeman.cpp ProcessMessage, DSEG; a CTxIn only for protocol 90025).
 *   The null outpoint asks for the whole list, which mainnet peers punish: never encoded here.
 * - `inv` / `getdata`: CompactSize count, then {int32 type, uint256 hash} (protocol.h CInv).
 * - `mnp`: CSmartnodePing under SER_NETWORK (smartnode.h): CTxIn(outpoint), uint256 blockHash,
 *   int64 sigTime, vector vchSig, then bool fSentinelIsCurrent and uint32 nSentinelVersion only when
 *   bytes remain (older nodes stop after vchSig).
 * - `mnb`: CSmartnodeBroadcast (smartnode.h): CTxIn vin, CService addr (16-byte IP, big-endian
 *   port), CPubKey collateral, CPubKey smartnode, vector vchSig, int64 sigTime, int32 protocol, ping.
 *
 * Decoding never throws and never allocates more than the input's length. Byte fields of what it
 * returns (keys, signatures, scripts) are views of the payload, not copies: the payload must not
 * change afterwards (a frame reader's payloads never do). The hashes an inv names are taken from the
 * message's own bytes (announceHashOf, pingHashOf): a survey reads thousands of them a round.
 */
import { createHash, hash } from "node:crypto";
import { InternalError } from "../core/errors.ts";
import { ipFromBytes, ipToBytes } from "../p2p/netaddr.ts";
import { ByteReader, ByteWriter, type Decoded } from "../p2p/wire.ts";
import { isNullOutpoint, readOutpoint, txidToWire, writeOutpoint, type Outpoint } from "./outpoint.ts";

/** net_processing.cpp MAX_INV_SZ. */
export const MAX_INV_SZ = 50_000;
/** CPubKey::Unserialize keeps at most 65 bytes (larger is an invalid key). */
const MAX_PUBKEY = 65;
/** A compact signature is 65 bytes; anything far larger is not a signature. */
const MAX_SIG = 520;
/** CTxIn scriptSig of an announce must be empty (CSmartnodeBroadcast::SimpleCheck); cap what we read. */
const MAX_SCRIPT = 10_000;
const SEQUENCE_FINAL = 0xffffffff;

export interface InvEntry {
  type: number;
  /** uint256 in wire order, hex (not the reversed display form). */
  hash: string;
}

export interface Sentinel {
  current: boolean;
  /** MSB 0, then x.x.x (0x010001 = 1.0.1). */
  version: number;
}

export interface SmartnodePing {
  outpoint: Outpoint;
  /** Display hex of the block the ping names (tip − 33 when it was made). */
  blockHash: string;
  /** Seconds since the epoch, the SmartNode's adjusted time when it signed. */
  sigTime: number;
  signature: Uint8Array;
  /** Absent when the sender stopped after the signature. */
  sentinel?: Sentinel;
}

export interface SmartnodeAnnounce {
  outpoint: Outpoint;
  /** vin.scriptSig: must be empty in a valid announce. */
  scriptSig: Uint8Array;
  sequence: number;
  /** The service the SmartNode announced: where the network expects it. */
  addr: { ip: string; port: number };
  collateralPubKey: Uint8Array;
  smartnodePubKey: Uint8Array;
  signature: Uint8Array;
  /** Seconds since the epoch: when the operator last started the node (the announce was signed). */
  sigTime: number;
  protocolVersion: number;
  /** null when the announce carries the empty ping (CSmartnodePing() == lastPing). */
  lastPing: SmartnodePing | null;
}

const fail = <T>(r: ByteReader): Decoded<T> => ({ kind: "error", error: r.error! });

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

// --- dseg -------------------------------------------------------------------------------------

/** The dseg payload for one outpoint. Refuses the null outpoint: that asks for the whole list. */
export function encodeDseg(o: Outpoint): Uint8Array {
  if (isNullOutpoint(o)) throw new InternalError("refusing to send dseg for the null outpoint: it asks the peer for its whole SmartNode list, which mainnet peers punish");
  const w = new ByteWriter(36);
  writeOutpoint(w, o);
  return w.finish();
}

/** As the node reads it: a CTxIn from peers at protocol 90025, a COutPoint from everyone else. */
export function decodeDseg(payload: Uint8Array, asTxIn = false): Decoded<Outpoint> {
  const r = new ByteReader(payload);
  const outpoint = asTxIn ? readTxIn(r, "dseg.vin").outpoint : readOutpoint(r, "dseg.outpoint");
  return r.error === undefined ? { kind: "ok", value: outpoint } : fail(r);
}

// --- inv / getdata ----------------------------------------------------------------------------

export function encodeInv(entries: readonly InvEntry[]): Uint8Array {
  if (entries.length > MAX_INV_SZ) throw new InternalError(`an inv holds at most ${MAX_INV_SZ} entries, got ${entries.length}`);
  const w = new ByteWriter(3 + entries.length * 36).compactSize(entries.length);
  for (const e of entries) {
    // Buffer.from(…, "hex") stops at the first bad digit: a short hash would shift every later entry.
    if (!/^[0-9a-fA-F]{64}$/.test(e.hash)) throw new InternalError(`an inv hash must be 64 hex digits, got ${e.hash.length} characters`);
    w.i32le(e.type).bytes(Buffer.from(e.hash, "hex"));
  }
  return w.finish();
}

export function decodeInv(payload: Uint8Array, field = "inv"): Decoded<InvEntry[]> {
  const r = new ByteReader(payload);
  const n = r.compactSize(`${field}.count`, MAX_INV_SZ);
  // Checked before the loop: a count the payload cannot hold allocates nothing.
  if (r.error === undefined && n * 36 > r.remaining) r.fail("truncated", `${field}.entries`, `${n} entries need ${n * 36} bytes, only ${r.remaining} left`);
  const entries: InvEntry[] = [];
  for (let i = 0; i < n && r.error === undefined; i++) {
    const type = r.u32le(`${field}[${i}].type`) | 0;
    entries.push({ type, hash: r.hex(32, `${field}[${i}].hash`) });
  }
  return r.error === undefined ? { kind: "ok", value: entries } : fail(r);
}

// --- CTxIn, CService, vectors -----------------------------------------------------------------

function writeTxIn(w: ByteWriter, o: Outpoint, scriptSig: Uint8Array = new Uint8Array(0), sequence = SEQUENCE_FINAL): void {
  writeOutpoint(w, o);
  w.compactSize(scriptSig.length).bytes(scriptSig).u32le(sequence);
}

function readTxIn(r: ByteReader, field: string): { outpoint: Outpoint; scriptSig: Uint8Array; sequence: number } {
  const outpoint = readOutpoint(r, `${field}.prevout`);
  const scriptSig = readVector(r, `${field}.scriptSig`, MAX_SCRIPT);
  const sequence = r.u32le(`${field}.nSequence`);
  return { outpoint, scriptSig, sequence };
}

function readVector(r: ByteReader, field: string, max: number): Uint8Array {
  const n = r.compactSize(field, max);
  return r.view(n, field);
}

function writeVector(w: ByteWriter, b: Uint8Array): void {
  w.compactSize(b.length).bytes(b);
}

function readTime(r: ByteReader, field: string): number {
  const t = r.i64le(field);
  // Seconds that still make a safe integer of milliseconds: the verdict and the store count in ms.
  if (r.error === undefined && (t < 0n || t > BigInt(Math.floor(Number.MAX_SAFE_INTEGER / 1000)))) r.fail("invalid", field, `time ${t} is out of range`);
  return Number(t);
}

// --- mnp --------------------------------------------------------------------------------------

export function encodePing(p: SmartnodePing): Uint8Array {
  const w = new ByteWriter(160);
  writePing(w, p);
  return w.finish();
}

function writePing(w: ByteWriter, p: SmartnodePing): void {
  writeTxIn(w, p.outpoint);
  w.bytes(txidToWire(p.blockHash)).i64le(BigInt(p.sigTime));
  writeVector(w, p.signature);
  if (p.sentinel !== undefined) w.bool(p.sentinel.current).u32le(p.sentinel.version);
}

export function decodePing(payload: Uint8Array): Decoded<SmartnodePing> {
  const r = new ByteReader(payload);
  const ping = readPing(r, "mnp");
  return r.error === undefined ? { kind: "ok", value: ping } : fail(r);
}

function readPing(r: ByteReader, field: string): SmartnodePing {
  const { outpoint } = readTxIn(r, `${field}.vin`);
  const blockHash = r.hexReversed(32, `${field}.blockHash`);
  const sigTime = readTime(r, `${field}.sigTime`);
  const signature = readVector(r, `${field}.vchSig`, MAX_SIG);
  const ping: SmartnodePing = { outpoint, blockHash, sigTime, signature };
  // `if (ser_action.ForRead() && (s.size() == 0))`: the sentinel fields are read only when bytes remain.
  if (r.error === undefined && r.remaining > 0) ping.sentinel = { current: r.bool(`${field}.fSentinelIsCurrent`), version: r.u32le(`${field}.nSentinelVersion`) };
  return ping;
}

function emptyPing(p: SmartnodePing): boolean {
  return isNullOutpoint(p.outpoint) && /^0{64}$/.test(p.blockHash);
}

// --- mnb --------------------------------------------------------------------------------------

export function encodeAnnounce(a: SmartnodeAnnounce): Uint8Array {
  const w = new ByteWriter(400);
  writeTxIn(w, a.outpoint, a.scriptSig, a.sequence);
  w.bytes(ipToBytes(a.addr.ip)).u16be(a.addr.port);
  writeVector(w, a.collateralPubKey);
  writeVector(w, a.smartnodePubKey);
  writeVector(w, a.signature);
  w.i64le(BigInt(a.sigTime)).i32le(a.protocolVersion);
  writePing(w, a.lastPing ?? { outpoint: { txid: "0".repeat(64), index: 0xffffffff }, blockHash: "0".repeat(64), sigTime: 0, signature: new Uint8Array(0), sentinel: { current: false, version: 0x010001 } });
  return w.finish();
}

export function decodeAnnounce(payload: Uint8Array): Decoded<SmartnodeAnnounce> {
  const r = new ByteReader(payload);
  const vin = readTxIn(r, "mnb.vin");
  const ip = r.view(16, "mnb.addr.ip");
  const port = r.u16be("mnb.addr.port");
  const collateralPubKey = readVector(r, "mnb.pubKeyCollateralAddress", MAX_PUBKEY);
  const smartnodePubKey = readVector(r, "mnb.pubKeySmartnode", MAX_PUBKEY);
  const signature = readVector(r, "mnb.vchSig", MAX_SIG);
  const sigTime = readTime(r, "mnb.sigTime");
  const protocolVersion = r.i32le("mnb.nProtocolVersion");
  const ping = readPing(r, "mnb.lastPing");
  if (r.error !== undefined) return fail(r);
  return {
    kind: "ok",
    value: {
      outpoint: vin.outpoint,
      scriptSig: vin.scriptSig,
      sequence: vin.sequence,
      addr: { ip: ipFromBytes(ip), port },
      collateralPubKey,
      smartnodePubKey,
      signature,
      sigTime,
      protocolVersion,
      lastPing: emptyPing(ping) ? null : ping,
    },
  };
}

// --- hashes (what inv names) ------------------------------------------------------------------

/** CSmartnodeBroadcast::GetHash: one SHA-256 (CHashWriter, src/hash.h) of vin, pubKeyCollateralAddress, sigTime. */
export function announceHash(a: SmartnodeAnnounce): string {
  const w = new ByteWriter(128);
  writeTxIn(w, a.outpoint, a.scriptSig, a.sequence);
  writeVector(w, a.collateralPubKey);
  w.i64le(BigInt(a.sigTime));
  return toHex(sha256(w.finish()));
}

/** CSmartnodePing::GetHash: one SHA-256 of CTxIn(outpoint) (empty script, final sequence) and sigTime. */
export function pingHash(p: SmartnodePing): string {
  const w = new ByteWriter(64);
  writeTxIn(w, p.outpoint);
  w.i64le(BigInt(p.sigTime));
  return toHex(sha256(w.finish()));
}

/**
 * announceHash of a well-formed mnb payload, from its own bytes: the vin, the collateral key's
 * vector and sigTime as they were sent, which is what the sender hashed (canonical CompactSize
 * and fixed-width fields serialise one way only, so the bytes read are the bytes re-written).
 * null when the payload does not decode.
 */
export function announceHashOf(payload: Uint8Array): string | null {
  const r = new ByteReader(payload);
  r.view(36, "mnb.vin.prevout");
  r.view(r.compactSize("mnb.vin.scriptSig", MAX_SCRIPT) + 4, "mnb.vin");
  const vinEnd = payload.length - r.remaining;
  r.view(18, "mnb.addr");
  const keyStart = payload.length - r.remaining;
  readVector(r, "mnb.pubKeyCollateralAddress", MAX_PUBKEY);
  const keyEnd = payload.length - r.remaining;
  readVector(r, "mnb.pubKeySmartnode", MAX_PUBKEY);
  readVector(r, "mnb.vchSig", MAX_SIG);
  const timeAt = payload.length - r.remaining;
  r.view(8, "mnb.sigTime");
  if (r.error !== undefined) return null;
  return sha256Hex(payload, [0, vinEnd, keyStart, keyEnd, timeAt, timeAt + 8]);
}

/**
 * pingHash of a well-formed mnp payload, from its own bytes: CTxIn(outpoint) — the outpoint as
 * sent, an empty script and SEQUENCE_FINAL whatever the vin carried (smartnode.h GetHash) — then
 * sigTime as sent, after the block hash. null when the payload does not decode.
 */
export function pingHashOf(payload: Uint8Array): string | null {
  const r = new ByteReader(payload);
  r.view(36, "mnp.vin.prevout");
  r.view(r.compactSize("mnp.vin.scriptSig", MAX_SCRIPT) + 4, "mnp.vin");
  const timeAt = payload.length - r.remaining + 32;
  r.view(32 + 8, "mnp.sigTime");
  if (r.error !== undefined) return null;
  return sha256Hex(payload, [0, 36, -1, -1, timeAt, timeAt + 8]);
}

/** Room for what the hashes cover in the usual case (vin with an empty script, a 65-byte key, the time): one buffer, reused. */
const HASHED = Buffer.alloc(256);

/** An empty scriptSig and SEQUENCE_FINAL: the rest of CTxIn(outpoint). */
const EMPTY_SCRIPT_FINAL = Uint8Array.of(0x00, 0xff, 0xff, 0xff, 0xff);

/** One SHA-256, as hex in wire order, of the payload's ranges [from, to) given as pairs; the pair (-1, -1) stands for EMPTY_SCRIPT_FINAL. */
function sha256Hex(payload: Uint8Array, ranges: readonly number[]): string {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const bytes = ranges[i]! < 0 ? EMPTY_SCRIPT_FINAL : payload.subarray(ranges[i]!, ranges[i + 1]!);
    parts.push(bytes);
    n += bytes.length;
  }
  const into = n <= HASHED.length ? HASHED : Buffer.allocUnsafe(n);
  let at = 0;
  for (const bytes of parts) {
    into.set(bytes, at);
    at += bytes.length;
  }
  return hash("sha256", into.subarray(0, n), "hex");
}
