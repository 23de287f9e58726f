/**
 * Little-endian fields, CompactSize and var_str as Bitcoin's serialize.h writes them.
 * The reader never throws: the first problem is kept in `error` ("sticky", as Go's binary
 * readers do), every later read returns zeros without moving, and the decoder checks `error`
 * once. Lengths read from the wire are checked against a caller's cap before anything is sliced.
 */

export type DecodeErrorCode = "truncated" | "too-large" | "non-canonical" | "invalid";

export interface DecodeError {
  code: DecodeErrorCode;
  /** Which field failed: "version.user_agent", "reject.reason", … */
  field: string;
  detail: string;
}

export type Decoded<T> = { kind: "ok"; value: T } | { kind: "error"; error: DecodeError };

const textDecoder = new TextDecoder("utf-8", { fatal: false });
const textEncoder = new TextEncoder();

export function utf8(text: string): Uint8Array {
  return textEncoder.encode(text);
}

/** hexReversed's scratch for the common sizes (a uint256): filled and read within one synchronous call. */
const REVERSED = Buffer.alloc(64);

export class ByteReader {
  private pos = 0;
  private readonly input: Uint8Array;
  private readonly dv: DataView;
  /** The input as a Buffer, for hex(): made on first use. */
  private buf: Buffer | undefined;
  error: DecodeError | undefined;

  constructor(input: Uint8Array) {
    this.input = input;
    this.dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  get remaining(): number {
    return this.input.length - this.pos;
  }

  fail(code: DecodeErrorCode, field: string, detail: string): void {
    this.error ??= { code, field, detail };
  }

  /** Start offset of the next `n` bytes, or -1 (and a sticky error) when they are not there. */
  private take(n: number, field: string): number {
    if (this.error !== undefined) return -1;
    if (n > this.remaining) {
      this.fail("truncated", field, `needs ${n} byte${n === 1 ? "" : "s"} at offset ${this.pos}, only ${this.remaining} left`);
      return -1;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(field: string): number {
    const at = this.take(1, field);
    return at < 0 ? 0 : this.dv.getUint8(at);
  }

  bool(field: string): boolean {
    return this.u8(field) !== 0;
  }

  u16be(field: string): number {
    const at = this.take(2, field);
    return at < 0 ? 0 : this.dv.getUint16(at, false);
  }

  u32le(field: string): number {
    const at = this.take(4, field);
    return at < 0 ? 0 : this.dv.getUint32(at, true);
  }

  i32le(field: string): number {
    const at = this.take(4, field);
    return at < 0 ? 0 : this.dv.getInt32(at, true);
  }

  u64le(field: string): bigint {
    const at = this.take(8, field);
    return at < 0 ? 0n : this.dv.getBigUint64(at, true);
  }

  i64le(field: string): bigint {
    const at = this.take(8, field);
    return at < 0 ? 0n : this.dv.getBigInt64(at, true);
  }

  /** A copy of the next `n` bytes. */
  bytes(n: number, field: string): Uint8Array {
    const at = this.take(n, field);
    return at < 0 ? new Uint8Array(0) : this.input.slice(at, at + n);
  }

  /** The next `n` bytes as a view of the input (no copy: it shares the input's memory, so the input must not change). */
  view(n: number, field: string): Uint8Array {
    const at = this.take(n, field);
    return at < 0 ? new Uint8Array(0) : this.input.subarray(at, at + n);
  }

  /** The next `n` bytes as lower-case hex, in order; "" when they are not there. No copy of the bytes. */
  hex(n: number, field: string): string {
    const at = this.take(n, field);
    if (at < 0) return "";
    this.buf ??= Buffer.from(this.input.buffer, this.input.byteOffset, this.input.byteLength);
    return this.buf.toString("hex", at, at + n);
  }

  /** The next `n` bytes as lower-case hex, last byte first (uint256::ToString); "" when they are not there. */
  hexReversed(n: number, field: string): string {
    const at = this.take(n, field);
    if (at < 0) return "";
    const out = n <= REVERSED.length ? REVERSED : Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) out[i] = this.input[at + n - 1 - i]!;
    return out.toString("hex", 0, n);
  }

  /** The rest of the input, copied. */
  rest(): Uint8Array {
    return this.bytes(this.remaining, "rest");
  }

  /** CompactSize, canonical only (serialize.h rejects longer-than-needed forms), at most `max`. */
  compactSize(field: string, max: number): number {
    const first = this.u8(field);
    let value: bigint;
    let min: bigint;
    if (first < 0xfd) {
      // The one-byte form, nearly every length read: no BigInt.
      if (this.error !== undefined) return 0;
      if (first <= max) return first;
      this.fail("too-large", field, `length ${first} is over the limit of ${max}`);
      return 0;
    }
    if (first === 0xfd) [value, min] = [BigInt(this.u16le(field)), 0xfdn];
    else if (first === 0xfe) [value, min] = [BigInt(this.u32le(field)), 0x10000n];
    else [value, min] = [this.u64le(field), 0x100000000n];
    return this.capped(value, min, max, field);
  }

  private u16le(field: string): number {
    const at = this.take(2, field);
    return at < 0 ? 0 : this.dv.getUint16(at, true);
  }

  private capped(value: bigint, min: bigint, max: number, field: string): number {
    if (this.error !== undefined) return 0;
    if (value < min) {
      this.fail("non-canonical", field, `CompactSize ${value} is written in a longer form than needed`);
      return 0;
    }
    if (value > BigInt(max)) {
      this.fail("too-large", field, `length ${value} is over the limit of ${max}`);
      return 0;
    }
    return Number(value);
  }

  /** var_str: CompactSize length (at most `maxLength` bytes, like LIMITED_STRING) then bytes, read as UTF-8. */
  varStr(field: string, maxLength: number): string {
    const n = this.compactSize(field, maxLength);
    const at = this.take(n, field);
    return at < 0 ? "" : textDecoder.decode(this.input.subarray(at, at + n));
  }
}

/** Grows as it is written (read `buf`/`view` only after `room()`: it may replace them); `finish()` returns the bytes written. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;

  constructor(initialSize = 128) {
    this.buf = new Uint8Array(Math.max(16, initialSize));
    this.view = new DataView(this.buf.buffer);
  }

  private room(n: number): number {
    if (this.len + n > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const at = this.len;
    this.len += n;
    return at;
  }

  u8(v: number): this {
    const at = this.room(1);
    this.view.setUint8(at, v);
    return this;
  }

  bool(v: boolean): this {
    return this.u8(v ? 1 : 0);
  }

  u16be(v: number): this {
    const at = this.room(2);
    this.view.setUint16(at, v, false);
    return this;
  }

  u16le(v: number): this {
    const at = this.room(2);
    this.view.setUint16(at, v, true);
    return this;
  }

  u32le(v: number): this {
    const at = this.room(4);
    this.view.setUint32(at, v >>> 0, true);
    return this;
  }

  i32le(v: number): this {
    const at = this.room(4);
    this.view.setInt32(at, v | 0, true);
    return this;
  }

  u64le(v: bigint): this {
    const at = this.room(8);
    this.view.setBigUint64(at, BigInt.asUintN(64, v), true);
    return this;
  }

  i64le(v: bigint): this {
    const at = this.room(8);
    this.view.setBigInt64(at, BigInt.asIntN(64, v), true);
    return this;
  }

  bytes(b: Uint8Array): this {
    const at = this.room(b.length);
    this.buf.set(b, at);
    return this;
  }

  compactSize(n: number): this {
    if (n < 0xfd) return this.u8(n);
    if (n <= 0xffff) return this.u8(0xfd).u16le(n);
    if (n <= 0xffffffff) return this.u8(0xfe).u32le(n);
    return this.u8(0xff).u64le(BigInt(n));
  }

  varStr(text: string): this {
    const b = utf8(text);
    return this.compactSize(b.length).bytes(b);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
