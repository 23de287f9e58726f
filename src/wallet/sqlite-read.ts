import type { PageSource } from "./bdb-walk.ts";

/**
 * A read-only SQLite table reader over raw pages (file format: sqlite.org/fileformat2.html).
 * Why not a SQLite library: opening the file takes locks (and, in WAL mode, creates -shm/-wal files
 * beside the wallet), and a running wallet holds an exclusive lock. Reading the pages ourselves
 * never locks or writes. Only rowid tables are walked; every loop is bounded by the page count.
 */

export const SQLITE_MAGIC = "SQLite format 3\0";

export class SqliteFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SqliteFormatError";
  }
}

export interface SqliteHeader {
  pageSize: number;
  usable: number;
  pages: number;
  /** 2 when the database is in WAL mode: committed changes may still sit in the -wal file. */
  writeVersion: number;
  encoding: "utf-8" | "utf-16le" | "utf-16be";
  applicationId: number;
}

export type SqlValue = null | number | bigint | Uint8Array | string;

const TABLE_LEAF = 0x0d;
const TABLE_INTERIOR = 0x05;

export function parseSqliteHeader(h: Uint8Array, fileSize: number): SqliteHeader {
  if (h.length < 100 || new TextDecoder("latin1").decode(h.subarray(0, 16)) !== SQLITE_MAGIC) throw new SqliteFormatError("no SQLite header");
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
  const raw = v.getUint16(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new SqliteFormatError(`page size ${raw} is invalid`);
  const enc = v.getUint32(56);
  const headerPages = v.getUint32(28);
  const valid = v.getUint32(24) === v.getUint32(92) && headerPages > 0;
  return {
    pageSize,
    usable: pageSize - (h[20] ?? 0),
    pages: Math.min(valid ? headerPages : Infinity, Math.floor(fileSize / pageSize)),
    writeVersion: h[18] ?? 1,
    encoding: enc === 2 ? "utf-16le" : enc === 3 ? "utf-16be" : "utf-8",
    applicationId: v.getUint32(68),
  };
}

/** A varint at `at`: [value, bytes used]. */
export function readVarint(b: Uint8Array, at: number): [bigint, number] {
  let v = 0n;
  for (let i = 0; i < 9; i++) {
    const byte = b[at + i];
    if (byte === undefined) throw new SqliteFormatError("varint runs past the cell");
    if (i === 8) return [(v << 8n) | BigInt(byte), 9];
    v = (v << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) return [v, i + 1];
  }
  throw new SqliteFormatError("unreachable varint");
}

/** Decodes a record (header of serial types, then values). */
export function decodeRecord(p: Uint8Array, encoding: SqliteHeader["encoding"]): SqlValue[] {
  const [hsize, n0] = readVarint(p, 0);
  const headerEnd = Number(hsize);
  if (headerEnd > p.length) throw new SqliteFormatError("record header runs past the payload");
  const types: bigint[] = [];
  for (let at = n0; at < headerEnd; ) {
    const [t, n] = readVarint(p, at);
    types.push(t);
    at += n;
  }
  const out: SqlValue[] = [];
  let at = headerEnd;
  const text = new TextDecoder(encoding);
  for (const t of types) {
    const st = Number(t);
    const intLen = [0, 1, 2, 3, 4, 6, 8][st];
    if (st === 0) out.push(null);
    else if (st === 8 || st === 9) out.push(st - 8);
    else if (intLen !== undefined) {
      let x = 0n;
      for (let i = 0; i < intLen; i++) x = (x << 8n) | BigInt(p[at + i] ?? 0);
      if (intLen > 0 && ((p[at] ?? 0) & 0x80) !== 0) x -= 1n << BigInt(8 * intLen);
      out.push(x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x);
      at += intLen;
    } else if (st === 7) {
      out.push(new DataView(p.buffer, p.byteOffset + at, 8).getFloat64(0));
      at += 8;
    } else if (st >= 12) {
      const len = Math.floor((st - (st % 2 === 0 ? 12 : 13)) / 2);
      if (at + len > p.length) throw new SqliteFormatError("record value runs past the payload");
      const bytes = p.subarray(at, at + len);
      out.push(st % 2 === 0 ? bytes : text.decode(bytes));
      at += len;
    } else throw new SqliteFormatError(`reserved serial type ${st}`);
  }
  return out;
}

export class SqliteFile {
  private readonly src: PageSource;
  readonly header: SqliteHeader;

  private constructor(src: PageSource, header: SqliteHeader) {
    this.src = src;
    this.header = header;
  }

  static async open(src: PageSource): Promise<SqliteFile> {
    const h = await src.read(0, 100);
    return new SqliteFile(src, parseSqliteHeader(h, src.size));
  }

  private async page(n: number): Promise<Uint8Array> {
    if (!Number.isInteger(n) || n < 1 || n > this.header.pages) throw new SqliteFormatError(`page ${n} is outside the file (${this.header.pages} pages): truncated or corrupt`);
    const b = await this.src.read((n - 1) * this.header.pageSize, this.header.pageSize);
    if (b.length < this.header.pageSize) throw new SqliteFormatError(`page ${n} is cut short: the file is truncated`);
    return b;
  }

  /** Root page of a table named in sqlite_schema. */
  async tableRoot(name: string): Promise<number> {
    for await (const row of this.rows(1)) {
      if (row[0] === "table" && row[1] === name && typeof row[3] === "number") return row[3];
    }
    throw new SqliteFormatError(`no table "${name}"`);
  }

  /** Every row of the rowid table whose b-tree starts at `root`, in rowid order. */
  async *rows(root: number): AsyncGenerator<SqlValue[]> {
    const stack: number[] = [root];
    let visited = 0;
    while (stack.length > 0) {
      if (++visited > this.header.pages) throw new SqliteFormatError("b-tree visits more pages than the file has: corrupt");
      const n = stack.pop() as number;
      const page = await this.page(n);
      const base = n === 1 ? 100 : 0;
      const v = new DataView(page.buffer, page.byteOffset, page.byteLength);
      const type = page[base];
      const cells = v.getUint16(base + 3);
      if (type === TABLE_INTERIOR) {
        const children: number[] = [];
        for (let i = 0; i < cells; i++) children.push(v.getUint32(v.getUint16(base + 12 + 2 * i)));
        children.push(v.getUint32(base + 8));
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as number);
      } else if (type === TABLE_LEAF) {
        for (let i = 0; i < cells; i++) yield decodeRecord(await this.payload(page, v.getUint16(base + 8 + 2 * i)), this.header.encoding);
      } else throw new SqliteFormatError(`page ${n} has type ${type ?? "?"}, expected a table b-tree page`);
    }
  }

  private async payload(page: Uint8Array, cell: number): Promise<Uint8Array> {
    const [size, n1] = readVarint(page, cell);
    const [, n2] = readVarint(page, cell + n1);
    const p = Number(size);
    const start = cell + n1 + n2;
    const u = this.header.usable;
    const x = u - 35;
    if (p <= x) {
      if (start + p > page.length) throw new SqliteFormatError("cell runs past the page");
      return page.subarray(start, start + p);
    }
    const m = Math.floor(((u - 12) * 32) / 255) - 23;
    const k = m + ((p - m) % (u - 4));
    const local = k <= x ? k : m;
    const out = new Uint8Array(p);
    out.set(page.subarray(start, start + local));
    let filled = local;
    let next = new DataView(page.buffer, page.byteOffset + start + local, 4).getUint32(0);
    for (let hops = 0; filled < p; hops++) {
      if (next === 0 || hops > this.header.pages) throw new SqliteFormatError(`overflow chain ends after ${filled} of ${p} bytes`);
      const ov = await this.page(next);
      const take = Math.min(u - 4, p - filled);
      out.set(ov.subarray(4, 4 + take), filled);
      filled += take;
      next = new DataView(ov.buffer, ov.byteOffset, 4).getUint32(0);
    }
    return out;
  }
}
