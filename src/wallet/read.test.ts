import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { bdbEntries } from "./bdb-walk.ts";
import { withFileSource } from "./file-source.ts";
import { NotAWalletError, readWalletRecords } from "./read.ts";
import { encryptionState } from "./records.ts";
import { SqliteFile } from "./sqlite-read.ts";
import { descriptorRecords, makeBdbWallet, makeLargeBdbWallet, makeSqliteWallet, recordKey, requireTools, walletRecords, type WalletRecord } from "../../test/helpers/wallet.ts";

const dir = mkdtempSync(join(tmpdir(), "nodeward-wallet-read-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (name: string) => join(dir, `${n++}-${name}`);

/** What Berkeley DB's own db5.3_dump sees in sub-database "main": key hex → value hex. */
function dbDump(path: string): Map<string, string> {
  const r = spawnSync("db5.3_dump", ["-s", "main", path], { maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr.toString());
  const lines = r.stdout.toString().split("\n");
  const start = lines.indexOf("HEADER=END") + 1;
  const end = lines.indexOf("DATA=END");
  const out = new Map<string, string>();
  for (let i = start; i < end; i += 2) out.set((lines[i] ?? "").trim(), (lines[i + 1] ?? "").trim());
  return out;
}

async function walk(path: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await withFileSource(path, async (src) => {
    for await (const e of bdbEntries(src, "main", true)) out.set(Buffer.from(e.key).toString("hex"), Buffer.from(e.value ?? new Uint8Array()).toString("hex"));
  });
  return out;
}

const toMap = (rs: readonly WalletRecord[]) => new Map(rs.map((r) => [r.key.toString("hex"), r.value.toString("hex")]));

describe("Berkeley DB wallets (made by db5.3_load)", () => {
  for (const variant of [
    { name: "little-endian", opts: {} },
    { name: "big-endian", opts: { bigEndian: true } },
    { name: "page checksums, 512-byte pages", opts: { checksum: true, pageSize: 512 } },
  ]) {
    it(`reads every record of sub-database "main" exactly as db5.3_dump does (${variant.name})`, async (t) => {
      if (!requireTools(t, "db5.3_load", "db5.3_dump")) return;
      const records = walletRecords("encrypted", 40);
      records.push({ key: recordKey("name", Buffer.from("\x22SXyz", "latin1")), value: randomHexish(3000) }); // an overflow value
      const p = file("wallet.dat");
      makeBdbWallet(p, records, variant.opts);
      const got = await walk(p);
      assert.deepEqual(got, dbDump(p));
      assert.deepEqual(got, toMap(records));
    });
  }

  it("walks a 24 MB wallet of many leaf and internal pages with 1 MiB overflow values, as db5.3_dump does", async (t) => {
    if (!requireTools(t, "db5.3_load", "db5.3_dump")) return;
    const p = file("big.dat");
    await makeLargeBdbWallet(p, 24 << 20);
    assert.ok(statSync(p).size > 24 << 20);
    const got = await walk(p);
    const want = dbDump(p);
    assert.equal(got.size, want.size);
    assert.ok(got.size > 100, `only ${got.size} records`);
    assert.deepEqual(got, want);
    assert.equal(encryptionState((await readWalletRecords(p)).counts), "encrypted");
  });

  it("tells encrypted, plaintext and mixed wallets apart", async (t) => {
    if (!requireTools(t, "db5.3_load")) return;
    for (const [kind, state] of [["encrypted", "encrypted"], ["plain", "unencrypted"], ["mixed", "mixed"]] as const) {
      const p = file(`${kind}.dat`);
      makeBdbWallet(p, walletRecords(kind, 6));
      const r = await readWalletRecords(p);
      assert.equal(r.format, "bdb");
      assert.equal(encryptionState(r.counts), state, kind);
    }
  });

  it("rejects a truncated Berkeley DB file with a clear reason", async (t) => {
    if (!requireTools(t, "db5.3_load")) return;
    const p = file("trunc.dat");
    makeBdbWallet(p, walletRecords("encrypted", 200));
    const bytes = readFileSync(p);
    writeFileSync(p, bytes.subarray(0, Math.floor(bytes.length / 2 / 4096) * 4096));
    await assert.rejects(readWalletRecords(p), (e: unknown) => e instanceof NotAWalletError && /truncated|outside the file/.test(e.message));
  });
});

describe("SQLite wallets (made by sqlite3)", () => {
  it("reads the key of every row of table main, overflow blobs included, as sqlite3 does", async (t) => {
    if (!requireTools(t, "sqlite3")) return;
    const records = descriptorRecords("encrypted", 300);
    records.push({ key: recordKey("big", Buffer.alloc(9000, 7)), value: Buffer.alloc(20000, 1) });
    const p = file("wallet.sqlite");
    makeSqliteWallet(p, records);
    const keys: string[] = [];
    await withFileSource(p, async (src) => {
      const db = await SqliteFile.open(src);
      for await (const row of db.rows(await db.tableRoot("main"))) keys.push(Buffer.from(row[0] as Uint8Array).toString("hex"));
    });
    const r = spawnSync("sqlite3", [p, "SELECT hex(key) FROM main ORDER BY rowid"]);
    assert.deepEqual(keys, r.stdout.toString().trim().split("\n").map((h) => h.toLowerCase()));
    assert.equal(keys.length, records.length);
  });

  it("tells encrypted and plaintext descriptor wallets apart, also in WAL mode", async (t) => {
    if (!requireTools(t, "sqlite3")) return;
    for (const [kind, state, wal] of [["encrypted", "encrypted", false], ["plain", "unencrypted", false], ["encrypted", "encrypted", true]] as const) {
      const p = file("w.sqlite");
      makeSqliteWallet(p, descriptorRecords(kind), { wal });
      const r = await readWalletRecords(p);
      assert.equal(r.format, "sqlite");
      assert.equal(encryptionState(r.counts), state);
      assert.equal(r.notes.some((x) => /WAL/.test(x)), wal);
    }
  });
});

describe("format detection", () => {
  it("goes by the bytes, not the name: a text file called wallet.dat is not a wallet", async () => {
    const p = file("wallet.dat");
    writeFileSync(p, "x".repeat(8192));
    await assert.rejects(readWalletRecords(p), (e: unknown) => e instanceof NotAWalletError && /not a wallet/.test(e.message) && /78 78 78/.test(e.message));
  });
});

function randomHexish(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}
