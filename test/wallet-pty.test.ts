import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { verifyBackup } from "../src/wallet/index.ts";
import { hasScript, onTty as runOnTty } from "./helpers/pty.ts";
import { makeBdbWallet, requireTools, walletRecords } from "./helpers/wallet.ts";

/**
 * Passphrases typed on a terminal (a pseudo-terminal from util-linux `script`): nodeward asks
 * twice without echo, and its passphrase backups interoperate with `age -p` / `age -d` both ways.
 */

const dir = mkdtempSync(join(tmpdir(), "nodeward-wallet-pty-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const BIN = new URL("../bin/nodeward.js", import.meta.url).pathname;
const PASS = "lantern meadow copper fjord";
const sha = (p: string) => spawnSync("sha256sum", [p]).stdout.toString().split(" ")[0];

const onTty = (answers: string[], cmd: string[]) => runOnTty(cmd, answers, { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: "1", TERM: "dumb" } });

describe("passphrases on a terminal", () => {
  it("nodeward asks twice without echo; `age -d` opens the backup with that passphrase", async (t) => {
    if (!requireTools(t, "db5.3_load", "age") || !requireScript(t)) return;
    const w = join(dir, "wallet.dat");
    makeBdbWallet(w, walletRecords("encrypted", 20));
    chmodSync(w, 0o600);
    const r = await onTty([PASS, PASS], [process.execPath, BIN, "wallet", "backup", w, "--to", join(dir, "b")]);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /Backup passphrase: [\s\S]*Same passphrase again: /);
    assert.ok(!r.output.includes(PASS), "the passphrase is not echoed");
    const file = join(dir, "b", readdirSync(join(dir, "b")).find((f) => f.endsWith(".age")) ?? "");
    const out = join(dir, "by-age.dat");
    const d = await onTty([PASS], ["age", "-d", "-o", out, file]);
    assert.equal(d.code, 0, d.output);
    assert.equal(sha(out), sha(w));
  });

  it("`age -p` encrypts; nodeward verifies with the same passphrase", async (t) => {
    if (!requireTools(t, "db5.3_load", "age") || !requireScript(t)) return;
    const w = join(dir, "wallet2.dat");
    makeBdbWallet(w, walletRecords("encrypted", 20));
    const enc = join(dir, "from-age.age");
    const e = await onTty([PASS, PASS], ["age", "-p", "-o", enc, w]);
    assert.equal(e.code, 0, e.output);
    const v = await verifyBackup(enc, { kind: "passphrase", passphrase: PASS });
    assert.equal(v.sha256, sha(w));
  });

  it("writes nothing when the two passphrases differ", async (t) => {
    if (!requireTools(t, "db5.3_load") || !requireScript(t)) return;
    const w = join(dir, "wallet3.dat");
    makeBdbWallet(w, walletRecords("encrypted", 5));
    const r = await onTty([PASS, `${PASS}!`], [process.execPath, BIN, "wallet", "backup", w, "--to", join(dir, "c")]);
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, /the two passphrases differ; nothing was written/);
    assert.deepEqual(readdirSync(join(dir)).includes("c") ? readdirSync(join(dir, "c")) : [], []);
  });
});

function requireScript(t: { skip: (m: string) => void }): boolean {
  if (hasScript()) return true;
  if (process.env.CI === "true") assert.fail("CI must run the terminal tests, but util-linux `script` is missing");
  t.skip("needs util-linux `script` for a pseudo-terminal");
  return false;
}
