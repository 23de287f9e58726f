import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { loadOrCreateKey, secretBox } from "./secret-box.ts";
import { findBackupCode, hashBackupCode, newBackupCodes } from "./backup-codes.ts";

describe("secret box", () => {
  it("seals a secret so it opens only with the key, for the same account", () => {
    const box = secretBox(randomBytes(32));
    const sealed = box.seal("JBSWY3DPEHPK3PXP", "alice");
    assert.ok(!sealed.includes("JBSWY3DPEHPK3PXP"));
    assert.equal(box.open(sealed, "alice"), "JBSWY3DPEHPK3PXP");
    assert.throws(() => box.open(sealed, "bob"), /cannot be decrypted/);
    assert.throws(() => secretBox(randomBytes(32)).open(sealed, "alice"), /cannot be decrypted/);
  });

  it("creates the key file 0600 once, and refuses one readable by others", () => {
    const dir = mkdtempSync(join(tmpdir(), "nodeward-key-"));
    try {
      const path = join(dir, "auth.key");
      const key = loadOrCreateKey(path);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.deepEqual(loadOrCreateKey(path), key);
      chmodSync(path, 0o644);
      assert.throws(() => loadOrCreateKey(path), /readable by others.*/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives every process started at once the same whole key (watchers sharing a data directory)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nodeward-key-"));
    try {
      const path = join(dir, "auth.key");
      const module = new URL("./secret-box.ts", import.meta.url).href;
      // Every child loads first, then waits for one moment to ask at once: the window the race needs.
      const startAt = Date.now() + 2_500;
      const code = `const { loadOrCreateKey } = await import(${JSON.stringify(module)}); while (Date.now() < ${startAt}); process.stdout.write(loadOrCreateKey(${JSON.stringify(path)}).toString("hex"));`;
      const outs = await Promise.all(
        Array.from({ length: 12 }, () =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "pipe"] });
            let out = "";
            let err = "";
            child.stdout.on("data", (d: Buffer) => (out += d.toString()));
            child.stderr.on("data", (d: Buffer) => (err += d.toString()));
            child.on("exit", (c) => resolve({ code: c, out, err }));
          }),
        ),
      );
      for (const o of outs) assert.equal(o.code, 0, o.err);
      assert.equal(new Set(outs.map((o) => o.out)).size, 1, "one key for all");
      assert.equal(outs[0]!.out.length, 64);
      assert.deepEqual(readdirSync(dir), ["auth.key"], "no temporary file left behind");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("backup codes", () => {
  it("are 10 distinct codes of 16 unambiguous characters", () => {
    const codes = newBackupCodes();
    assert.equal(new Set(codes).size, 10);
    for (const c of codes) assert.match(c, /^[a-hj-km-np-z2-9]{4}(-[a-hj-km-np-z2-9]{4}){3}$/);
  });

  it("match by hash regardless of case and dashes, and never a used one", () => {
    const [a, b] = newBackupCodes(2) as [string, string];
    const stored = [{ id: 1, hash: hashBackupCode(a), usedAt: null }, { id: 2, hash: hashBackupCode(b), usedAt: 5 }];
    assert.equal(findBackupCode(a.toUpperCase().replaceAll("-", " "), stored), 1);
    assert.equal(findBackupCode(b, stored), null);
    assert.equal(findBackupCode("nope", stored), null);
  });
});
