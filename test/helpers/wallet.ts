import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { TestContext } from "node:test";

/**
 * Test wallets made with the real tools: Berkeley DB's db5.3_load (from a db_dump text dump, into
 * a sub-database "main" as Bitcoin-family wallets do) and sqlite3. Records are real-shaped:
 * CompactSize-prefixed type names, pubkeys, master-key blobs.
 */

export type Tool = "db5.3_load" | "db5.3_dump" | "sqlite3" | "age" | "age-keygen";

export function hasTool(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

/** Skips (outside CI) or fails (CI=true) when a tool is missing. */
export function requireTools(t: TestContext, ...names: Tool[]): boolean {
  const missing = names.filter((n) => !hasTool(n));
  if (missing.length === 0) return true;
  if (process.env.CI === "true") assert.fail(`CI must run the wallet tests, but ${missing.join(", ")} is missing (apt-get install db5.3-util sqlite3 age)`);
  t.skip(`needs ${missing.join(", ")} (db5.3-util, sqlite3, age)`);
  return false;
}

export interface WalletRecord {
  key: Buffer;
  value: Buffer;
}

const compact = (n: number) => Buffer.from([n]);
/** A record key: CompactSize length + type name + payload. */
export function recordKey(type: string, payload: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([compact(type.length), Buffer.from(type, "ascii"), payload]);
}
const pubkey = () => Buffer.concat([compact(33), Buffer.from([0x02]), randomBytes(32)]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/** The records of a small legacy wallet: encrypted (mkey + ckey), plaintext (key), or both (mixed). */
export function walletRecords(kind: "encrypted" | "plain" | "mixed", keys = 5): WalletRecord[] {
  const out: WalletRecord[] = [
    { key: recordKey("version"), value: u32(120200) },
    { key: recordKey("minversion"), value: u32(60000) },
    { key: recordKey("bestblock"), value: randomBytes(40) },
  ];
  if (kind !== "plain") {
    // CMasterKey: vchCryptedKey(48) vchSalt(8) nDerivationMethod nDeriveIterations vchOtherDerivationParameters
    out.push({ key: recordKey("mkey", u32(1)), value: Buffer.concat([compact(48), randomBytes(48), compact(8), randomBytes(8), u32(0), u32(25000), compact(0)]) });
  }
  for (let i = 0; i < keys; i++) {
    const pk = pubkey();
    const crypted = kind === "encrypted" || (kind === "mixed" && i % 2 === 0);
    out.push(crypted ? { key: recordKey("ckey", pk), value: Buffer.concat([compact(48), randomBytes(48)]) } : { key: recordKey("key", pk), value: Buffer.concat([compact(214), randomBytes(214), compact(32), randomBytes(32)]) });
    out.push({ key: recordKey("pool", Buffer.concat([u32(i), u32(0)])), value: Buffer.concat([u32(120200), pk]) });
  }
  return out;
}

/** db_dump "bytevalue" text for the records, into sub-database "main". */
function dumpText(records: readonly WalletRecord[]): string {
  const lines = ["VERSION=3", "format=bytevalue", "type=btree", "database=main", "HEADER=END"];
  for (const r of records) lines.push(` ${r.key.toString("hex")}`, ` ${r.value.toString("hex")}`);
  lines.push("DATA=END", "");
  return lines.join("\n");
}

/** Writes a Berkeley DB wallet with db5.3_load. `bigEndian` stores it in the other byte order. */
export function makeBdbWallet(path: string, records: readonly WalletRecord[], opts: { bigEndian?: boolean; pageSize?: number; checksum?: boolean } = {}): void {
  const args = [
    ...(opts.bigEndian ? ["-c", "db_lorder=4321"] : []),
    ...(opts.pageSize ? ["-c", `db_pagesize=${opts.pageSize}`] : []),
    ...(opts.checksum ? ["-c", "chksum=1"] : []),
    path,
  ];
  const r = spawnSync("db5.3_load", args, { input: dumpText(records), maxBuffer: 1 << 20 });
  assert.equal(r.status, 0, `db5.3_load failed: ${r.stderr?.toString()}`);
}

/** A big BDB wallet (many leaf pages, internal pages, overflow values) streamed into db5.3_load. */
export async function makeLargeBdbWallet(path: string, targetBytes: number, kind: "encrypted" | "plain" = "encrypted"): Promise<void> {
  const child = spawn("db5.3_load", [path], { stdio: ["pipe", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on("close", resolve));
  const write = (s: string) => (child.stdin.write(s) ? Promise.resolve() : new Promise<void>((r) => child.stdin.once("drain", () => r())));
  await write("VERSION=3\nformat=bytevalue\ntype=btree\ndatabase=main\nHEADER=END\n");
  const head = walletRecords(kind, 50);
  for (const r of head) await write(` ${r.key.toString("hex")}\n ${r.value.toString("hex")}\n`);
  // Bulk: "tx" records with 1 MiB values (overflow chains) until the target size is reached.
  const blob = randomBytes(1 << 20).toString("hex");
  for (let i = 0, bytes = 0; bytes < targetBytes && i < 10_000; i++, bytes += 1 << 20) {
    await write(` ${recordKey("tx", randomBytes(32)).toString("hex")}\n ${blob}\n`);
  }
  await write("DATA=END\n");
  child.stdin.end();
  assert.equal(await done, 0, `db5.3_load failed: ${stderr}`);
}

/** Writes a descriptor-style SQLite wallet: table main(key BLOB PRIMARY KEY, value BLOB). */
export function makeSqliteWallet(path: string, records: readonly WalletRecord[], opts: { wal?: boolean } = {}): void {
  const sql = [
    ...(opts.wal ? ["PRAGMA journal_mode=WAL;"] : []),
    "PRAGMA application_id=0xf9beb4d9;",
    "CREATE TABLE main(key BLOB PRIMARY KEY, value BLOB);",
    "BEGIN;",
    ...records.map((r) => `INSERT INTO main VALUES (X'${r.key.toString("hex")}', X'${r.value.toString("hex")}');`),
    "COMMIT;",
    "",
  ].join("\n");
  const r = spawnSync("sqlite3", [path], { input: sql, maxBuffer: 1 << 24 });
  assert.equal(r.status, 0, `sqlite3 failed: ${r.stderr?.toString()}`);
}

/** Descriptor-wallet records: walletdescriptorckey (+ mkey) or walletdescriptorkey. */
export function descriptorRecords(kind: "encrypted" | "plain", keys = 3): WalletRecord[] {
  const out: WalletRecord[] = [{ key: recordKey("version"), value: u32(230000) }];
  if (kind === "encrypted") out.push({ key: recordKey("mkey", u32(1)), value: randomBytes(80) });
  for (let i = 0; i < keys; i++) {
    const id = randomBytes(32);
    out.push({ key: recordKey("walletdescriptor", id), value: Buffer.from(`wpkh([d34db33f/84h/0h/0h]xpub${i}/0/*)`) });
    out.push(kind === "encrypted" ? { key: recordKey("walletdescriptorckey", Buffer.concat([id, pubkey()])), value: randomBytes(64) } : { key: recordKey("walletdescriptorkey", Buffer.concat([id, pubkey()])), value: randomBytes(300) });
  }
  return out;
}
