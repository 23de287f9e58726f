import { BdbFormatError, btreeOrder } from "./bdb-page.ts";
import { BdbFile, type PageSource } from "./bdb-walk.ts";
import { withFileSource } from "./file-source.ts";
import { addKey, newCounts, type RecordCounts } from "./records.ts";
import { SQLITE_MAGIC, SqliteFile, SqliteFormatError } from "./sqlite-read.ts";

/** How wallets are stored: Berkeley DB btree (SmartCash, Dash, legacy Bitcoin) or SQLite (descriptor wallets). */
export type WalletFormat = "bdb" | "sqlite";

export interface WalletRecords {
  format: WalletFormat;
  counts: RecordCounts;
  /** Facts worth showing that are not findings (byte order, WAL mode, …). */
  notes: string[];
}

/** Wallet bytes that cannot be read as a wallet; the message says what was expected and what came. */
export class NotAWalletError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NotAWalletError";
  }
}

/** The format from the first bytes of a file (never from its name). */
export function detectFormat(head: Uint8Array, size: number): WalletFormat | null {
  if (size >= 512 && head.length >= 16 && new TextDecoder("latin1").decode(head.subarray(0, 16)) === SQLITE_MAGIC) return "sqlite";
  if (size >= 4096 && btreeOrder(head) !== null) return "bdb";
  return null;
}

/** Reads every record key of a wallet file, read-only, and counts record types. */
export async function readWalletRecords(path: string): Promise<WalletRecords> {
  return withFileSource(path, async (src) => {
    const head = await src.read(0, 100);
    const format = detectFormat(head, src.size);
    if (format === null) throw new NotAWalletError(`${path} is not a wallet: neither a Berkeley DB btree (magic 0x00053162 at offset 12) nor a SQLite database (${describeHead(head, src.size)})`);
    try {
      return format === "bdb" ? await readBdb(src) : await readSqlite(src);
    } catch (e) {
      if (e instanceof BdbFormatError || e instanceof SqliteFormatError) throw new NotAWalletError(`${path} looks like a ${format === "bdb" ? "Berkeley DB" : "SQLite"} file but cannot be read as a wallet: ${e.message}`, { cause: e });
      throw e;
    }
  });
}

async function readBdb(src: PageSource): Promise<WalletRecords> {
  const file = await BdbFile.open(src);
  const dbs = await file.databases();
  const notes = [`Berkeley DB btree v${file.meta.version}, ${file.meta.order === "le" ? "little" : "big"}-endian, ${file.meta.pageSize}-byte pages`];
  if (dbs.size === 0) notes.push("records sit in the file's only database (no \"main\" sub-database)");
  const counts = newCounts();
  for await (const e of file.entries(await file.rootOf("main"), false)) addKey(counts, e.key);
  return { format: "bdb", counts, notes };
}

async function readSqlite(src: PageSource): Promise<WalletRecords> {
  const db = await SqliteFile.open(src);
  const notes = [`SQLite, ${db.header.pageSize}-byte pages, application_id 0x${db.header.applicationId.toString(16).padStart(8, "0")}`];
  if (db.header.writeVersion === 2) notes.push("WAL mode: changes not yet checkpointed into the file are not seen");
  const counts = newCounts();
  for await (const row of db.rows(await db.tableRoot("main"))) {
    const key = row[0];
    if (key instanceof Uint8Array) addKey(counts, key);
    else throw new SqliteFormatError("table main has a key that is not a BLOB");
  }
  return { format: "sqlite", counts, notes };
}

function describeHead(head: Uint8Array, size: number): string {
  if (size === 0) return "the file is empty";
  const hex = Buffer.from(head.subarray(0, 16)).toString("hex").replace(/(..)/g, "$1 ").trim();
  return `${size} bytes starting ${hex}`;
}
