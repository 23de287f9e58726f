/**
 * Berkeley DB btree pages, parsed from bytes (pure; no I/O). Layout per Berkeley DB's `db_page.h`
 * (4.x–5.x, the versions Bitcoin-family wallets link): a 72-byte generic meta header, a 26-byte
 * page header, then an index of 16-bit item offsets. Numbers are in the file's byte order, told by
 * the btree magic 0x00053162 at offset 12.
 */

export const BTREE_MAGIC = 0x00053162;
export type ByteOrder = "le" | "be";

/** Page types used here (db_page.h P_*). */
export const PAGE = { invalid: 0, internalBtree: 3, leafBtree: 5, overflow: 7, btreeMeta: 9 } as const;

/** Item types of a btree entry (db_page.h B_*); the high bit marks a deleted entry. */
const B_KEYDATA = 1;
const B_DUPLICATE = 2;
const B_OVERFLOW = 3;
const B_DELETE = 0x80;

const PAGE_HEADER_SIZE = 26;
/** metaflags bits (DBMETA_*). */
const DBMETA_CHKSUM = 0x01;

export interface BdbMeta {
  order: ByteOrder;
  version: number;
  pageSize: number;
  pageType: number;
  lastPgno: number;
  /** Root page of this (sub-)database's btree. */
  root: number;
  /** Btree flags: 0x20 (BTM_SUBDB) on a master database that holds named sub-databases. */
  flags: number;
  /** Bytes between the page header and the item index (page checksums add 6). */
  headerExtra: number;
  /** Non-zero when Berkeley DB's own encryption is on (not what wallets use). */
  encryptAlg: number;
}

export interface PageHeader {
  pgno: number;
  prev: number;
  next: number;
  entries: number;
  /** High free offset; on an overflow page, the length of the data it holds. */
  hfOffset: number;
  level: number;
  type: number;
}

export type Item =
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "overflow"; pgno: number; length: number }
  | { kind: "duplicate"; pgno: number }
  | { kind: "deleted" };

export class BdbFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BdbFormatError";
  }
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
const u32 = (b: Uint8Array, at: number, order: ByteOrder) => view(b).getUint32(at, order === "le");
const u16 = (b: Uint8Array, at: number, order: ByteOrder) => view(b).getUint16(at, order === "le");

/** The byte order of a btree file from its first 16 bytes, or null when the magic is absent. */
export function btreeOrder(head: Uint8Array): ByteOrder | null {
  if (head.length < 16) return null;
  if (u32(head, 12, "le") === BTREE_MAGIC) return "le";
  if (u32(head, 12, "be") === BTREE_MAGIC) return "be";
  return null;
}

/** Parses a btree meta page (page 0, or a sub-database's meta page). */
export function parseMeta(page: Uint8Array, order: ByteOrder): BdbMeta {
  if (page.length < 92) throw new BdbFormatError(`meta page is ${page.length} bytes, expected at least 92`);
  if (u32(page, 12, order) !== BTREE_MAGIC) throw new BdbFormatError("meta page lacks the btree magic 0x00053162");
  const pageSize = u32(page, 20, order);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) throw new BdbFormatError(`page size ${pageSize} is not a power of two between 512 and 65536`);
  const metaflags = page[26] ?? 0;
  return {
    order,
    version: u32(page, 16, order),
    pageSize,
    encryptAlg: page[24] ?? 0,
    pageType: page[25] ?? 0,
    lastPgno: u32(page, 32, order),
    flags: u32(page, 48, order),
    root: u32(page, 88, order),
    headerExtra: (metaflags & DBMETA_CHKSUM) !== 0 ? 6 : 0,
  };
}

export function parseHeader(page: Uint8Array, order: ByteOrder): PageHeader {
  if (page.length < PAGE_HEADER_SIZE) throw new BdbFormatError("short page");
  return {
    pgno: u32(page, 8, order),
    prev: u32(page, 12, order),
    next: u32(page, 16, order),
    entries: u16(page, 20, order),
    hfOffset: u16(page, 22, order),
    level: page[24] ?? 0,
    type: page[25] ?? 0,
  };
}

/** Offset of item `i` from the page's index. */
function itemOffset(page: Uint8Array, meta: BdbMeta, i: number): number {
  const at = PAGE_HEADER_SIZE + meta.headerExtra + 2 * i;
  if (at + 2 > page.length) throw new BdbFormatError(`item index ${i} runs past the page`);
  const off = u16(page, at, meta.order);
  if (off < at + 2 || off + 3 > page.length) throw new BdbFormatError(`item ${i} at offset ${off} is outside the page`);
  return off;
}

/** Item `i` of a leaf page (keys at even, data at odd indexes). */
export function leafItem(page: Uint8Array, meta: BdbMeta, i: number): Item {
  const off = itemOffset(page, meta, i);
  const type = page[off + 2] ?? 0;
  if ((type & B_DELETE) !== 0) return { kind: "deleted" };
  switch (type & 0x7f) {
    case B_KEYDATA: {
      const len = u16(page, off, meta.order);
      if (off + 3 + len > page.length) throw new BdbFormatError(`item ${i} of ${len} bytes runs past the page`);
      return { kind: "bytes", bytes: page.subarray(off + 3, off + 3 + len) };
    }
    case B_OVERFLOW:
    case B_DUPLICATE: {
      if (off + 12 > page.length) throw new BdbFormatError(`item ${i} runs past the page`);
      const pgno = u32(page, off + 4, meta.order);
      return (type & 0x7f) === B_OVERFLOW ? { kind: "overflow", pgno, length: u32(page, off + 8, meta.order) } : { kind: "duplicate", pgno };
    }
    default:
      throw new BdbFormatError(`item ${i} has unknown type ${type}`);
  }
}

/** The child page of item `i` on an internal page (BINTERNAL: len, type, unused, pgno, nrecs, data). */
export function internalChild(page: Uint8Array, meta: BdbMeta, i: number): number {
  const off = itemOffset(page, meta, i);
  if (off + 8 > page.length) throw new BdbFormatError(`internal item ${i} runs past the page`);
  return u32(page, off + 4, meta.order);
}

/** The bytes an overflow page carries (its length is the header's hfOffset). */
export function overflowData(page: Uint8Array, meta: BdbMeta, header: PageHeader): Uint8Array {
  const start = PAGE_HEADER_SIZE + meta.headerExtra;
  if (start + header.hfOffset > page.length) throw new BdbFormatError(`overflow page ${header.pgno} claims ${header.hfOffset} bytes`);
  return page.subarray(start, start + header.hfOffset);
}

/** A master database's data item: the sub-database's meta page number, always in network (big-endian) order. */
export function pgnoFromBytes(bytes: Uint8Array): number {
  if (bytes.length !== 4) throw new BdbFormatError(`sub-database entry is ${bytes.length} bytes, expected a 4-byte page number`);
  return u32(bytes, 0, "be");
}
