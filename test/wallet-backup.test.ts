import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { backupWallet, latestBackup, listBackups, restoreBackup, verifyBackup, WalletError, type Seal } from "../src/wallet/index.ts";
import { tempName } from "../src/wallet/names.ts";
import { hasTool, makeBdbWallet, makeSqliteWallet, descriptorRecords, requireTools, walletRecords } from "./helpers/wallet.ts";

/**
 * Backups through the library API, against Debian's age CLI and Berkeley DB tools. Passphrase
 * backups here use scrypt work factor 12 (the API's explicit option) to keep the suite fast; the CLI
 * default of 18 is exercised in wallet-cli.test.ts.
 */

const root = mkdtempSync(join(tmpdir(), "nodeward-wallet-backup-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, String(n++));
  mkdirSync(d);
  return d;
};
const PASS = "correct horse battery staple";
const fast: Seal = { kind: "passphrase", passphrase: PASS, scryptWorkFactor: 12 };
const sha = (p: string) => spawnSync("sha256sum", [p]).stdout.toString().split(" ")[0];

let wallet = "";
let key = "";
let recipient = "";
before(() => {
  if (!hasTool("db5.3_load")) return;
  const d = fresh();
  wallet = join(d, "wallet.dat");
  makeBdbWallet(wallet, walletRecords("encrypted", 1200)); // ~300 KB: several 64 KiB age chunks
  chmodSync(wallet, 0o600);
  if (hasTool("age-keygen")) {
    key = join(d, "key.txt");
    spawnSync("age-keygen", ["-o", key]);
    recipient = spawnSync("age-keygen", ["-y", key]).stdout.toString().trim();
  }
});

const rejectsWith = (p: Promise<unknown>, re: RegExp) => assert.rejects(p, (e: unknown) => e instanceof WalletError && re.test(e.message) && typeof e.hint === "string");

describe("wallet backup with a passphrase", () => {
  it("writes a 0600 age file named after the wallet and the UTC time, with a SHA-256 sidecar, that verifies and restores", async (t) => {
    if (!requireTools(t, "db5.3_load")) return;
    const dir = fresh();
    const before = statSync(wallet);
    const r = await backupWallet({ wallet, dir: join(dir, "new"), seal: fast, keep: 5, now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) });
    assert.equal(r.file, join(dir, "new", "wallet.dat.20260102T030405.006Z.age"));
    assert.equal(statSync(r.file).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "new")).mode & 0o777, 0o700, "a directory it creates is private");
    assert.equal(readFileSync(r.sidecar, "utf8"), `${sha(wallet)}  wallet.dat\n`);
    assert.equal(r.verifiedWith, "passphrase");
    assert.equal(r.walletState, "encrypted");
    assert.deepEqual(r.warnings, []);
    const head = readFileSync(r.file).subarray(0, 200).toString("latin1");
    assert.match(head, /^age-encryption\.org\/v1\n-> scrypt \S+ 12\n/);
    assert.ok(!readFileSync(r.file).includes(readFileSync(wallet).subarray(4096, 4200)), "no plaintext in the backup");
    const after = statSync(wallet);
    assert.equal(after.mtimeMs, before.mtimeMs);
    assert.equal(sha(wallet), r.sha256);

    const v = await verifyBackup(r.file, { kind: "passphrase", passphrase: PASS });
    assert.equal(v.matches, true);
    assert.equal(v.sha256, r.sha256);
    assert.equal(v.walletName, "wallet.dat");

    const to = join(dir, "restored.dat");
    const rr = await restoreBackup(r.file, to, { kind: "passphrase", passphrase: PASS });
    assert.equal(rr.checkedSidecar, true);
    assert.equal(sha(to), sha(wallet));
    assert.equal(statSync(to).mode & 0o777, 0o600);
    await rejectsWith(restoreBackup(r.file, to, { kind: "passphrase", passphrase: PASS }), /already exists; refusing/);
    writeFileSync(to, "something else");
    const forced = await restoreBackup(r.file, to, { kind: "passphrase", passphrase: PASS }, { force: true });
    assert.equal(forced.replaced, true);
    assert.equal(sha(to), sha(wallet));
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith(".")), [], "no temp files left");
  });

  it("tells a wrong passphrase, a truncated file, a tampered file and a non-age file apart", async (t) => {
    if (!requireTools(t, "db5.3_load")) return;
    const dir = fresh();
    const r = await backupWallet({ wallet, dir, seal: fast, keep: 5 });
    const bytes = readFileSync(r.file);
    const payload = bytes.indexOf("\n", bytes.indexOf("\n--- ") + 1) + 1 + 16;
    const variant = (name: string, b: Uint8Array) => {
      const p = join(dir, name);
      writeFileSync(p, b);
      return p;
    };
    const unlock = { kind: "passphrase", passphrase: PASS } as const;
    await rejectsWith(verifyBackup(r.file, { kind: "passphrase", passphrase: "wrong passphrase" }), /wrong passphrase/);
    await rejectsWith(verifyBackup(r.file, { kind: "identities", identities: ["AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"] }), /is encrypted to a passphrase, not to age keys/);
    await rejectsWith(verifyBackup(variant("mid.age", bytes.subarray(0, payload + 100_000)), unlock), /truncated/);
    await rejectsWith(verifyBackup(variant("boundary.age", bytes.subarray(0, payload + 2 * 65552)), unlock), /truncated/);
    await rejectsWith(verifyBackup(variant("header.age", bytes.subarray(0, 40)), unlock), /truncated|not an age/);
    const flipped = Buffer.from(bytes);
    flipped.writeUInt8(flipped.readUInt8(payload + 70_000) ^ 1, payload + 70_000);
    await rejectsWith(verifyBackup(variant("flip.age", flipped), unlock), /was modified/);
    const mac = Buffer.from(bytes);
    const at = bytes.indexOf("\n--- ") + 8;
    mac[at] = mac[at] === 0x41 ? 0x42 : 0x41; // still base64, different MAC
    await rejectsWith(verifyBackup(variant("mac.age", mac), unlock), /header was modified/);
    const salt = Buffer.from(bytes);
    salt[bytes.indexOf("-> scrypt ") + 12] = 0x3a; // not base64
    await rejectsWith(verifyBackup(variant("salt.age", salt), unlock), /header is damaged/);
    await rejectsWith(verifyBackup(variant("plain.age", readFileSync(wallet)), unlock), /not an age-encrypted file/);
    writeFileSync(`${r.file}.sha256`, `${"0".repeat(64)}  wallet.dat\n`);
    await rejectsWith(verifyBackup(r.file, unlock), /differs from the sidecar/);
    await rejectsWith(restoreBackup(r.file, join(dir, "x.dat"), unlock), /not the sidecar's .*nothing was written/);
    assert.ok(!readdirSync(dir).includes("x.dat"));
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith(".")), [], "failed restores leave no temp file");
  });

  it("still backs up an unencrypted wallet, with a loud warning to encrypt it first", async (t) => {
    if (!requireTools(t, "db5.3_load")) return;
    const dir = fresh();
    const plain = join(dir, "plain.dat");
    makeBdbWallet(plain, walletRecords("plain", 10));
    const r = await backupWallet({ wallet: plain, dir: join(dir, "b"), seal: fast, keep: 2 });
    assert.equal(r.walletState, "unencrypted");
    assert.match(r.warnings.join("\n"), /NOT encrypted.*Encrypt it in the wallet software first/s);
    assert.equal((await verifyBackup(r.file, { kind: "passphrase", passphrase: PASS })).matches, true);
  });

  it("refuses a file that is not a wallet", async () => {
    const dir = fresh();
    const p = join(dir, "wallet.dat");
    writeFileSync(p, "definitely not a wallet\n".repeat(400));
    await rejectsWith(backupWallet({ wallet: p, dir, seal: fast, keep: 1 }), /is not a wallet/);
    assert.deepEqual(readdirSync(dir), ["wallet.dat"]);
  });
});

describe("wallet backup to age recipients, interoperating with the age CLI", () => {
  it("nodeward encrypts → `age -d -i key` decrypts to the same bytes; the backup self-checks without the private key", async (t) => {
    if (!requireTools(t, "db5.3_load", "age", "age-keygen")) return;
    const dir = fresh();
    const r = await backupWallet({ wallet, dir, seal: { kind: "recipients", recipients: [recipient] }, keep: 3 });
    assert.equal(r.verifiedWith, "file-key");
    assert.match(readFileSync(r.file).subarray(0, 100).toString("latin1"), /^age-encryption\.org\/v1\n-> X25519 /);
    const out = join(dir, "by-age.dat");
    const d = spawnSync("age", ["-d", "-i", key, "-o", out, r.file]);
    assert.equal(d.status, 0, d.stderr.toString());
    assert.equal(sha(out), sha(wallet));
    const check = spawnSync("sha256sum", ["-c", `${r.file}.sha256`], { cwd: join(wallet, "..") });
    assert.equal(check.status, 0, "the sidecar works with sha256sum -c next to the wallet");
    const withId = await backupWallet({ wallet, dir, seal: { kind: "recipients", recipients: [recipient] }, keep: 3, verifyWith: { kind: "identities", identities: [readFileSync(key, "utf8").split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-")) ?? ""] } });
    assert.equal(withId.verifiedWith, "identity");
  });

  it("`age -r` encrypts → nodeward verifies and restores", async (t) => {
    if (!requireTools(t, "sqlite3", "age", "age-keygen")) return;
    const dir = fresh();
    const sq = join(dir, "wallet.sqlite");
    makeSqliteWallet(sq, descriptorRecords("encrypted", 50));
    const enc = join(dir, "from-age.age");
    const e = spawnSync("age", ["-r", recipient, "-o", enc, sq]);
    assert.equal(e.status, 0, e.stderr.toString());
    const ids = { kind: "identities", identities: readFileSync(key, "utf8").split("\n").filter((l) => l.startsWith("AGE-SECRET-KEY-")) } as const;
    const v = await verifyBackup(enc, ids);
    assert.equal(v.matches, null, "no sidecar: age's authentication alone");
    assert.equal(v.sha256, sha(sq));
    const to = join(dir, "restored.sqlite");
    await restoreBackup(enc, to, ids);
    assert.equal(sha(to), sha(sq));
    await rejectsWith(verifyBackup(enc, { kind: "passphrase", passphrase: PASS }), /is encrypted to age keys, not to a passphrase/);
    const other = join(dir, "other-key.txt");
    spawnSync("age-keygen", ["-o", other]);
    const wrongIds = { kind: "identities", identities: readFileSync(other, "utf8").split("\n").filter((l) => l.startsWith("AGE-SECRET-KEY-")) } as const;
    await rejectsWith(verifyBackup(enc, wrongIds), /none of the given identities can open it/);
  });

  it("rejects a malformed recipient with a clear message", async (t) => {
    if (!requireTools(t, "db5.3_load")) return;
    await rejectsWith(backupWallet({ wallet, dir: fresh(), seal: { kind: "recipients", recipients: ["age1notakey"] }, keep: 1 }), /is not an age recipient/);
  });
});

describe("rotation and leftovers", () => {
  it("keeps exactly N backups (with their sidecars), newest first, and sweeps temp files of dead writers only", async (t) => {
    if (!requireTools(t, "db5.3_load")) return;
    const dir = fresh();
    const seal: Seal = { kind: "recipients", recipients: [recipient || "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"] };
    let clock = Date.UTC(2026, 0, 1);
    const now = () => new Date((clock += 60_000));
    for (let i = 0; i < 5; i++) await backupWallet({ wallet, dir, seal, keep: 3, now });
    const list = await listBackups(dir, "wallet.dat");
    assert.equal(list.length, 3);
    assert.ok(list.every((b) => b.hasSidecar));
    assert.deepEqual(list.map((b) => b.createdAt.getTime()), [clock, clock - 60_000, clock - 120_000]);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith(".sha256")).length, 3);
    assert.equal((await latestBackup(dir, "wallet.dat"))?.createdAt.getTime(), clock);

    const dead = spawnSync("true").pid ?? 999_999; // an exited process: its pid is free
    const deadTemp = tempName("wallet.dat.20260101T000000.000Z.age", dead, "abcdef");
    const liveTemp = tempName("wallet.dat.20260101T000000.000Z.age", process.ppid, "abcdef");
    writeFileSync(join(dir, deadTemp), "partial");
    writeFileSync(join(dir, liveTemp), "being written");
    assert.equal((await listBackups(dir, "wallet.dat")).length, 3, "temp files are never listed as backups");
    const r = await backupWallet({ wallet, dir, seal, keep: 1, now });
    assert.deepEqual(r.sweptTemps, [deadTemp]);
    assert.equal(r.rotated.length, 3);
    assert.deepEqual(readdirSync(dir).sort(), [liveTemp, `${r.file.slice(dir.length + 1)}`, `${r.file.slice(dir.length + 1)}.sha256`].sort());
  });
});
