import {
  BdbFormatError, PAGE, btreeOrder, internalChild, leafItem, overflowData, parseHeader, parseMeta, pgnoFromBytes,
  type BdbMeta, type Item,
} from "./bdb-page.ts";

/**
 * Walks a Berkeley DB btree file page by page: the meta page, the master database's leaf entries
 * (name → sub-database meta page), then the sub-database's tree down its leftmost edge and along
 * the chain of leaf pages, assembling overflow items. Every loop is bounded by the page count.
 */

/** Where pages come from: a file read at positions, or bytes in memory (tests). */
export interface PageSource {
  /** Reads `length` bytes at `offset`; fewer only at the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  readonly size: number;
}

export interface BdbEntry {
  key: Uint8Array;
  /** Present when values were asked for. */
  value?: Uint8Array;
}

export interface BdbLayout {
  meta: BdbMeta;
  /** Named sub-databases in the file (empty when the records sit in the master database itself). */
  databases: string[];
}

const MAX_DEPTH = 64;

export class BdbFile {
  private readonly src: PageSource;
  readonly meta: BdbMeta;

  private constructor(src: PageSource, meta: BdbMeta) {
    this.src = src;
    this.meta = meta;
  }

  static async open(src: PageSource): Promise<BdbFile> {
    const head = await src.read(0, 512);
    const order = btreeOrder(head);
    if (order === null) throw new BdbFormatError("no Berkeley DB btree magic at offset 12");
    const meta = parseMeta(head, order);
    if (meta.encryptAlg !== 0) throw new BdbFormatError("the file uses Berkeley DB's own encryption, which wallets do not; cannot read its pages");
    const first = await src.read(0, meta.pageSize);
    if (first.length < meta.pageSize) throw new BdbFormatError(`file is ${src.size} bytes, shorter than one ${meta.pageSize}-byte page`);
    return new BdbFile(src, parseMeta(first, order));
  }

  private get pages(): number {
    return Math.min(this.meta.lastPgno + 1, Math.floor(this.src.size / this.meta.pageSize));
  }

  async page(pgno: number): Promise<Uint8Array> {
    if (!Number.isInteger(pgno) || pgno < 0 || pgno >= this.pages) throw new BdbFormatError(`page ${pgno} is outside the file (${this.pages} pages): truncated or corrupt`);
    const bytes = await this.src.read(pgno * this.meta.pageSize, this.meta.pageSize);
    if (bytes.length < this.meta.pageSize) throw new BdbFormatError(`page ${pgno} is cut short: the file is truncated`);
    return bytes;
  }

  /** Named sub-databases (master entries) → their meta page numbers. Empty when there are none. */
  async databases(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if ((this.meta.flags & 0x20) === 0) return out; // BTM_SUBDB unset: records live in the master tree
    for await (const e of this.entries(this.meta.root, true)) {
      if (e.value) out.set(new TextDecoder().decode(e.key).replace(/\0+$/, ""), pgnoFromBytes(e.value));
    }
    return out;
  }

  /** Root page of the named sub-database, or of the master tree when the file has no sub-databases. */
  async rootOf(name: string): Promise<number> {
    const dbs = await this.databases();
    if (dbs.size === 0) return this.meta.root;
    const metaPgno = dbs.get(name);
    if (metaPgno === undefined) throw new BdbFormatError(`no "${name}" database in the file (it has: ${[...dbs.keys()].join(", ") || "none"})`);
    const sub = parseMeta(await this.page(metaPgno), this.meta.order);
    if (sub.pageType !== PAGE.btreeMeta) throw new BdbFormatError(`"${name}" is not a btree database (meta page type ${sub.pageType})`);
    return sub.root;
  }

  /** Every live entry of the tree rooted at `root`, in key order. */
  async *entries(root: number, withValues: boolean): AsyncGenerator<BdbEntry> {
    let pgno = await this.leftmostLeaf(root);
    const seen = new Set<number>();
    while (pgno !== 0) {
      if (seen.has(pgno) || seen.size > this.pages) throw new BdbFormatError(`leaf chain loops at page ${pgno}: corrupt file`);
      seen.add(pgno);
      const page = await this.page(pgno);
      const h = parseHeader(page, this.meta.order);
      if (h.type !== PAGE.leafBtree) throw new BdbFormatError(`page ${pgno} in the leaf chain has type ${h.type}, expected a btree leaf (5)`);
      if (h.entries % 2 !== 0) throw new BdbFormatError(`leaf page ${pgno} has an odd number of items (${h.entries})`);
      for (let i = 0; i < h.entries; i += 2) {
        const k = leafItem(page, this.meta, i);
        if (k.kind === "deleted") continue;
        const key = await this.resolve(k);
        if (!withValues) {
          yield { key };
          continue;
        }
        const v = leafItem(page, this.meta, i + 1);
        if (v.kind === "deleted") continue;
        yield { key, value: await this.resolve(v) };
      }
      pgno = h.next;
    }
  }

  private async leftmostLeaf(root: number): Promise<number> {
    let pgno = root;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const page = await this.page(pgno);
      const h = parseHeader(page, this.meta.order);
      if (h.type === PAGE.leafBtree) return pgno;
      if (h.type !== PAGE.internalBtree) throw new BdbFormatError(`page ${pgno} has type ${h.type}, expected a btree page`);
      if (h.entries === 0) throw new BdbFormatError(`internal page ${pgno} is empty`);
      pgno = internalChild(page, this.meta, 0);
    }
    throw new BdbFormatError(`btree deeper than ${MAX_DEPTH} levels: corrupt file`);
  }

  private async resolve(item: Exclude<Item, { kind: "deleted" }>): Promise<Uint8Array> {
    if (item.kind === "bytes") return item.bytes;
    if (item.kind === "duplicate") throw new BdbFormatError("off-page duplicates are not used by wallets; cannot read them");
    const out = new Uint8Array(item.length);
    let filled = 0;
    let pgno = item.pgno;
    for (let hops = 0; filled < item.length; hops++) {
      if (pgno === 0 || hops > this.pages) throw new BdbFormatError(`overflow item of ${item.length} bytes ends after ${filled}`);
      const page = await this.page(pgno);
      const h = parseHeader(page, this.meta.order);
      if (h.type !== PAGE.overflow) throw new BdbFormatError(`page ${pgno} should be an overflow page, has type ${h.type}`);
      const data = overflowData(page, this.meta, h);
      if (filled + data.length > item.length) throw new BdbFormatError(`overflow chain at page ${pgno} holds more than ${item.length} bytes`);
      out.set(data, filled);
      filled += data.length;
      pgno = h.next;
    }
    return out;
  }
}

/** Entries of the named sub-database ("main" in Bitcoin-family wallets). */
export async function* bdbEntries(src: PageSource, database: string, withValues = false): AsyncGenerator<BdbEntry> {
  const file = await BdbFile.open(src);
  yield* file.entries(await file.rootOf(database), withValues);
}
