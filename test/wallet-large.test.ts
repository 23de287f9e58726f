import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { backupWallet, listBackups } from "../src/wallet/index.ts";
import { parseTempName } from "../src/wallet/names.ts";
import { makeLargeBdbWallet, requireTools, hasTool } from "./helpers/wallet.ts";

/**
 * A large Berkeley DB wallet (96 MiB, made by db5.3_load: 1 MiB overflow values across many pages):
 * the backup streams (peak RSS grows by far less than one copy of the wallet), and a kill -9 in
 * the middle of writing leaves no file that counts as a backup; the next run removes the leftover.
 * bench/wallet-backup.bench.ts measures the same at 200 MiB.
 */

const MIB = 96;
const dir = mkdtempSync(join(tmpdir(), "nodeward-wallet-large-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const wallet = join(dir, "wallet.dat");
let recipient = "";

before(async () => {
  if (!hasTool("db5.3_load") || !hasTool("age-keygen")) return;
  await makeLargeBdbWallet(wallet, MIB << 20);
  spawnSync("age-keygen", ["-o", join(dir, "key.txt")]);
  recipient = spawnSync("age-keygen", ["-y", join(dir, "key.txt")], { encoding: "utf8" }).stdout.trim();
});

const BIN = new URL("../bin/nodeward.js", import.meta.url).pathname;
const CHILD = new URL("../bench/wallet-backup-child.ts", import.meta.url).pathname;

describe("a large wallet", () => {
  it(`backs up a ${MIB} MiB wallet streaming: peak RSS grows by well under the wallet's size`, async (t) => {
    if (!requireTools(t, "db5.3_load", "age-keygen")) return;
    const out = join(dir, "rss");
    const r = spawnSync(process.execPath, ["--import", "tsx", CHILD, "backup", wallet, out, recipient], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const m = JSON.parse(r.stdout.trim()) as { sizeMiB: number; baselineMiB: number; peakMiB: number };
    t.diagnostic(`peak RSS ${m.peakMiB} MiB, baseline ${m.baselineMiB} MiB, wallet ${m.sizeMiB} MiB`);
    assert.ok(m.sizeMiB >= MIB);
    assert.ok(m.peakMiB - m.baselineMiB < m.sizeMiB * 0.66, `grew by ${(m.peakMiB - m.baselineMiB).toFixed(1)} MiB for a ${m.sizeMiB} MiB wallet`);
    assert.equal((await listBackups(out, "wallet.dat")).length, 1);
    rmSync(out, { recursive: true, force: true }); // 96 MiB less on the disk for the rest of the suite
  });

  it("killed with SIGKILL mid-write, leaves no backup, only a dot-named temp file that the next backup removes", async (t) => {
    if (!requireTools(t, "db5.3_load", "age-keygen")) return;
    const out = join(dir, "kill");
    mkdirSync(out);
    const child = spawn(process.execPath, [BIN, "wallet", "backup", wallet, "--to", out, "-r", recipient], { stdio: "ignore", env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: "1" } });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_c, s) => resolve(s)));
    let temp: string | undefined;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && temp === undefined; await new Promise((r) => setTimeout(r, 5))) {
      temp = readdirSync(out).find((f) => parseTempName(f) !== null && statSync(join(out, f)).size > 1 << 20);
    }
    child.kill("SIGKILL");
    assert.equal(await exited, "SIGKILL");
    assert.ok(temp, "the backup was caught while writing its temp file");
    const size = statSync(join(out, temp)).size;
    assert.ok(size < (MIB << 20), `killed mid-write (${size} bytes written)`);
    assert.deepEqual(await listBackups(out, "wallet.dat"), [], "nothing counts as a backup");
    assert.deepEqual(readdirSync(out).filter((f) => !f.startsWith(".")), [], "no visible file at all");
    assert.equal(statSync(join(out, temp)).mode & 0o777, 0o600, "even the partial file is private");

    const r = await backupWallet({ wallet, dir: out, seal: { kind: "recipients", recipients: [recipient] }, keep: 2 });
    assert.deepEqual(r.sweptTemps, [temp]);
    assert.deepEqual(readdirSync(out).sort(), [r.file.slice(out.length + 1), `${r.file.slice(out.length + 1)}.sha256`].sort());
  });
});
