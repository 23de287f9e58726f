import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backupFileName, parseBackupName, parseTempName, tempName, walletName } from "./names.ts";
import { planRotation, type BackupFile } from "./rotate.ts";
import { parseSidecar, sidecarText } from "./sidecar.ts";
import { parseIdentityFile } from "./secrets.ts";
import { countTypes, encryptionState, recordType } from "./records.ts";

describe("backup names", () => {
  it("carry the wallet name and a UTC timestamp, and parse back", () => {
    const at = new Date(Date.UTC(2026, 10, 26, 5, 12, 3, 45));
    const f = backupFileName("wallet.dat", at);
    assert.equal(f, "wallet.dat.20261126T051203.045Z.age");
    assert.deepEqual(parseBackupName(f), { name: "wallet.dat", createdAt: at });
  });
  it("never take a temp file, a sidecar or a dot file for a backup", () => {
    const f = backupFileName("wallet.dat", new Date(0));
    for (const n of [tempName(f, 42, "abc123"), `${f}.sha256`, `.${f}`, "wallet.dat", "wallet.dat.2018-01-01"]) assert.equal(parseBackupName(n), null, n);
    assert.deepEqual(parseTempName(tempName(f, 42, "abc123")), { final: f, pid: 42 });
  });
  it("make a safe name from a wallet path", () => {
    assert.equal(walletName("/home/u/.smartcash/wallet.dat"), "wallet.dat");
    assert.equal(walletName("/x/my wallet$.dat"), "my_wallet_.dat");
    assert.equal(walletName("/x/..."), "wallet");
  });
});

describe("rotation plan", () => {
  const files = (n: number): BackupFile[] =>
    Array.from({ length: n }, (_, i) => ({ file: `/b/w.${i}.age`, name: "w", createdAt: new Date(1000 * (n - i)), size: 1, hasSidecar: true }));
  it("keeps exactly N, deleting the oldest", () => {
    assert.deepEqual(planRotation(files(7), 3).map((f) => f.file), ["/b/w.3.age", "/b/w.4.age", "/b/w.5.age", "/b/w.6.age"]);
    assert.deepEqual(planRotation(files(2), 3), []);
  });
  it("never deletes the newest, nor the protected one, even with keep 0", () => {
    const fs = files(4);
    assert.deepEqual(planRotation(fs, 0).map((f) => f.file), ["/b/w.1.age", "/b/w.2.age", "/b/w.3.age"]);
    assert.ok(!planRotation(fs, 1, "/b/w.3.age").some((f) => f.file === "/b/w.3.age"));
  });
});

describe("sidecar and identity file", () => {
  it("writes a sha256sum line and reads it back", () => {
    const h = "a".repeat(64);
    assert.deepEqual(parseSidecar(sidecarText(h, "wallet.dat")), { sha256: h, plainName: "wallet.dat" });
    assert.equal(parseSidecar("not a hash  wallet.dat\n"), null);
  });
  it("takes the secret-key lines of an age-keygen file", () => {
    const text = "# created: 2026-11-26T05:00:00Z\n# public key: age1xyz\nAGE-SECRET-KEY-1QQQQ\n\n";
    assert.deepEqual(parseIdentityFile(text), ["AGE-SECRET-KEY-1QQQQ"]);
  });
});

describe("record keys", () => {
  const k = (t: string, payload = "") => Buffer.concat([Buffer.from([t.length]), Buffer.from(t + payload, "latin1")]);
  it("reads the length-prefixed type name", () => {
    assert.equal(recordType(k("mkey", "\x01\0\0\0")), "mkey");
    assert.equal(recordType(k("walletdescriptorckey", "x")), "walletdescriptorckey");
    assert.equal(recordType(Buffer.from([9, 0x6b])), null);
    assert.equal(recordType(Buffer.from([0xfd, 1, 0])), null);
  });
  it("decides encrypted by mkey and cross-checks key records", () => {
    const state = (...keys: Buffer[]) => encryptionState(countTypes(keys));
    assert.equal(state(k("mkey"), k("ckey", "a"), k("hdchain")), "encrypted");
    assert.equal(state(k("key", "a"), k("name", "b")), "unencrypted");
    assert.equal(state(k("mkey"), k("ckey", "a"), k("key", "b")), "mixed");
    assert.equal(state(k("ckey", "a")), "missing-master-key");
    assert.equal(state(k("name", "a"), k("version")), "no-keys");
    assert.equal(state(k("walletdescriptorkey", "a")), "unencrypted");
  });
});
