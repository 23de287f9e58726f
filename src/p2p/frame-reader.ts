/**
 * Streaming frame reader: push socket chunks in, get whole messages (or problems) out.
 *
 * Memory is bounded by the cap, never by what the peer claims: a header is checked before any of
 * its payload is kept, a length over the cap stops the reader at the header, and payload bytes
 * are kept only as they arrive (the buffer grows with them, up to the announced length).
 * A bad checksum or an invalid command skips that one message, as SmartCash does, and is
 * reported; a wrong magic or an over-cap length stops the reader (the stream cannot be resynced).
 */
import { checksumWord, otherChecksum } from "./checksum.ts";
import { DEFAULT_MAX_PAYLOAD, HEADER_SIZE, hexOf, parseHeader, type FrameParams } from "./frame.ts";

export type FrameProblem = "bad-magic" | "bad-checksum" | "bad-header" | "too-large";

export type FrameEvent =
  | { kind: "message"; command: string; payload: Uint8Array }
  | { kind: "error"; reason: FrameProblem; detail: string; command?: string };

export type ReaderState = "reading" | "stopped";

const EMPTY = new Uint8Array(0);

interface Pending {
  command: string;
  length: number;
  /** The header's checksum, little-endian uint32. */
  checksum: number;
  /** false: an invalid header whose payload is dropped as it arrives. */
  keep: boolean;
  /** Grows with the bytes that arrived (doubling, never beyond `length`). */
  buf: Uint8Array;
  got: number;
}

export class FrameReader {
  readonly maxPayload: number;
  private readonly params: FrameParams;
  private readonly header = new Uint8Array(HEADER_SIZE);
  private headerFill = 0;
  private pending: Pending | undefined;
  private stateValue: ReaderState = "reading";

  constructor(params: FrameParams, opts: { maxPayload?: number } = {}) {
    this.params = params;
    this.maxPayload = opts.maxPayload ?? DEFAULT_MAX_PAYLOAD;
  }

  get state(): ReaderState {
    return this.stateValue;
  }

  /** Bytes held for an incomplete message: never more than HEADER_SIZE + maxPayload. */
  get buffered(): number {
    return this.headerFill + (this.pending?.keep ? this.pending.got : 0);
  }

  /** Everything this chunk completes, in order. After a stopping problem, returns nothing. */
  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    let at = 0;
    while (at < chunk.length && this.stateValue === "reading") {
      if (this.pending === undefined) at = this.fillHeader(chunk, at, events);
      else at = this.fillPayload(chunk, at, this.pending, events);
    }
    return events;
  }

  private fillHeader(chunk: Uint8Array, at: number, events: FrameEvent[]): number {
    const n = Math.min(HEADER_SIZE - this.headerFill, chunk.length - at);
    this.header.set(chunk.subarray(at, at + n), this.headerFill);
    this.headerFill += n;
    if (this.headerFill < HEADER_SIZE) return at + n;
    this.headerFill = 0;
    const h = parseHeader(this.header, this.params, this.maxPayload);
    if (h.kind === "header") {
      this.pending = { command: h.command, length: h.length, checksum: h.checksum, keep: true, buf: EMPTY, got: 0 };
    } else if (h.problem === "bad-header") {
      events.push({ kind: "error", reason: "bad-header", detail: h.detail });
      this.pending = { command: "", length: h.length ?? 0, checksum: 0, keep: false, buf: EMPTY, got: 0 };
    } else {
      events.push({ kind: "error", reason: h.problem, detail: h.detail, ...(h.command ? { command: h.command } : {}) });
      this.stateValue = "stopped";
    }
    if (this.pending?.length === 0) this.complete(this.pending, events);
    return at + n;
  }

  private fillPayload(chunk: Uint8Array, at: number, p: Pending, events: FrameEvent[]): number {
    const n = Math.min(p.length - p.got, chunk.length - at);
    if (p.keep) {
      if (p.got + n > p.buf.length) p.buf = grow(p.buf, p.got, Math.min(p.length, Math.max(p.got + n, p.buf.length * 2, 4096)));
      p.buf.set(chunk.subarray(at, at + n), p.got);
    }
    p.got += n;
    if (p.got === p.length) this.complete(p, events);
    return at + n;
  }

  private complete(p: Pending, events: FrameEvent[]): void {
    this.pending = undefined;
    if (!p.keep) return;
    const payload = p.buf.length === p.length ? p.buf : p.buf.slice(0, p.length);
    const kind = this.params.checksum;
    const actual = checksumWord(kind, payload);
    if (actual === p.checksum) {
      events.push({ kind: "message", command: p.command, payload });
      return;
    }
    const other = otherChecksum(kind);
    const hint = checksumWord(other, payload) === p.checksum ? ` (it is the ${other} checksum: the peer frames like another coin)` : "";
    events.push({
      kind: "error",
      reason: "bad-checksum",
      command: p.command,
      detail: `${p.command}: expected ${kind} checksum ${wordHex(actual)}, got ${wordHex(p.checksum)}${hint}; message skipped`,
    });
  }
}

/** A checksum word as its 4 bytes in hex, as they lie in the header. */
function wordHex(w: number): string {
  return hexOf(Uint8Array.of(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24));
}

function grow(buf: Uint8Array, used: number, size: number): Uint8Array {
  const next = new Uint8Array(size);
  next.set(buf.subarray(0, used));
  return next;
}
