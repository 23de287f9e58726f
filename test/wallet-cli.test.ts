import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runCli, tempProject, type CliResult } from "./helpers/cli.ts";
import { descriptorRecords, makeBdbWallet, makeSqliteWallet, requireTools, walletRecords } from "./helpers/wallet.ts";

/** `nodeward wallet …` end to end: the real bin, real wallets, the CLI's default scrypt work factor. */

const project = tempProject(`version: 1
coin: smartcash
nodes:
  tags: [smartnode]
wallet:
  passphraseEnv: NW_WALLET_PASS
  keep: 2
`);
after(project.cleanup);
const PASS = "tangerine orbit velvet cobalt";
let n = 0;
const fresh = () => {
  const d = join(project.dir, `case${n++}`);
  mkdirSync(d);
  return d;
};
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(["--config", project.file, ...args], { cwd: project.dir, env, timeoutMs: 60_000 });
const sha = (p: string) => spawnSync("sha256sum", [p]).stdout.toString().split(" ")[0];

/** One line of error, one hint line, no stack trace, no secret. */
function cleanError(r: CliResult, re: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, re);
  assert.match(r.stderr, /^nodeward: error: .*\n {2}→ .+\n$/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.ok(!r.stderr.includes(PASS) && !r.stdout.includes(PASS));
}

describe("nodeward wallet check", () => {
  it("passes an encrypted 0600 Berkeley DB wallet (exit 0) and neither changes nor locks it", async (t) => {
    if (!requireTools(t, "db5.3_load")) return;
    const d = fresh();
    const w = join(d, "wallet.dat");
    makeBdbWallet(w, walletRecords("encrypted", 30));
    chmodSync(w, 0o600);
    const before = { sha: sha(w), mtime: statSync(w).mtimeMs };
    const r = await cli(["wallet", "check", w, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const all = JSON.parse(r.stdout);
    assert.equal(all.wallets.length, 1);
    const j = all.wallets[0];
    assert.equal(j.wallet.format, "bdb");
    assert.equal(j.wallet.state, "encrypted");
    assert.deepEqual(j.wallet.keys, { mkey: 1, ckey: 30 });
    assert.equal(j.wallet.permissions.mode, "0600");
    assert.equal(j.backups, null);
    assert.deepEqual(j.findings, []);
    assert.deepEqual({ sha: sha(w), mtime: statSync(w).mtimeMs }, before);
    assert.deepEqual(readdirSync(d), ["wallet.dat"]);
  });

  it("flags unencrypted, mixed and world-readable wallets with exit 2, and names each finding", async (t) => {
    if (!requireTools(t, "db5.3_load")) return;
    const cases = [
      { kind: "plain", mode: 0o600, codes: ["unencrypted"] },
      { kind: "mixed", mode: 0o600, codes: ["mixed"] },
      { kind: "encrypted", mode: 0o644, codes: ["world-readable"] },
      { kind: "encrypted", mode: 0o640, codes: ["group-readable"] },
    ] as const;
    const paths = cases.map((c) => {
      const w = join(fresh(), "wallet.dat");
      makeBdbWallet(w, walletRecords(c.kind, 8));
      chmodSync(w, c.mode);
      return w;
    });
    const r = await cli(["wallet", "check", ...paths, "--json"]);
    assert.equal(r.code, 2, r.stderr);
    const reports = JSON.parse(r.stdout).wallets as Array<{ wallet: { path: string }; findings: Array<{ code: string; path: string }> }>;
    assert.deepEqual(reports.map((x) => x.wallet.path), paths);
    assert.deepEqual(reports.map((x) => x.findings.map((f) => f.code)), cases.map((c) => c.codes));
  });

  it("reports every plaintext copy in backups/ beside the wallet, by its bytes, with its state", async (t) => {
    if (!requireTools(t, "db5.3_load", "sqlite3")) return;
    const d = fresh();
    const w = join(d, "wallet.dat");
    makeBdbWallet(w, walletRecords("encrypted", 8));
    chmodSync(w, 0o600);
    mkdirSync(join(d, "backups"));
    makeBdbWallet(join(d, "backups", "wallet.dat.2019-03-01-12-00"), walletRecords("plain", 8)); // from before encryption
    makeBdbWallet(join(d, "backups", "wallet.dat.2020-01-01-12-00"), walletRecords("encrypted", 8));
    makeSqliteWallet(join(d, "backups", "copy-without-extension"), descriptorRecords("plain"));
    writeFileSync(join(d, "backups", "README.txt"), "not a wallet");
    for (const f of readdirSync(join(d, "backups"))) chmodSync(join(d, "backups", f), 0o600);
    const j = await cli(["wallet", "check", w, "--json"]);
    assert.equal(j.code, 2);
    const rep = JSON.parse(j.stdout).wallets[0];
    assert.deepEqual(rep.backups.copies.map((c: { path: string; state: string; format: string }) => [c.path.split("/").pop(), c.format, c.state]), [
      ["copy-without-extension", "sqlite", "unencrypted"],
      ["wallet.dat.2019-03-01-12-00", "bdb", "unencrypted"],
      ["wallet.dat.2020-01-01-12-00", "bdb", "encrypted"],
    ]);
    assert.equal(rep.backups.otherFiles, 1);
    assert.equal(rep.findings.length, 2);
    const text = await cli(["wallet", "check", w]);
    assert.equal(text.code, 2);
    assert.match(text.stdout, /wallet\.dat\.2019-03-01-12-00\s+NOT ENCRYPTED/);
    assert.match(text.stdout, /critical .*2019-03-01-12-00: a PLAINTEXT wallet copy/);
  });

  it("checks a SQLite descriptor wallet in WAL mode without creating -wal or -shm files", async (t) => {
    if (!requireTools(t, "sqlite3")) return;
    const d = fresh();
    const w = join(d, "wallet.dat");
    makeSqliteWallet(w, descriptorRecords("encrypted", 4), { wal: true });
    chmodSync(w, 0o600);
    const before = { sha: sha(w), mtime: statSync(w).mtimeMs };
    const r = await cli(["wallet", "check", w, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).wallets[0].wallet.state, "encrypted");
    assert.deepEqual(readdirSync(d), ["wallet.dat"]);
    assert.deepEqual({ sha: sha(w), mtime: statSync(w).mtimeMs }, before);
  });

  it("fails with exit 1 and one clear line for a missing file and for a file that is not a wallet", async () => {
    const d = fresh();
    writeFileSync(join(d, "wallet.dat"), "hello\n".repeat(1000));
    cleanError(await cli(["wallet", "check", join(d, "missing.dat")]), /no file at/);
    cleanError(await cli(["wallet", "check", join(d, "wallet.dat")]), /is not a wallet: neither a Berkeley DB btree/);
  });
});

describe("nodeward wallet backup / verify / restore", () => {
  it("backs up with the configured passphrase at scrypt work factor 18, verifies, and restores; the passphrase never shows", async (t) => {
    if (!requireTools(t, "db5.3_load")) return;
    const d = fresh();
    const w = join(d, "wallet.dat");
    makeBdbWallet(w, walletRecords("encrypted", 50));
    chmodSync(w, 0o600);
    const env = { NW_WALLET_PASS: PASS };
    const b = await cli(["wallet", "backup", w, "--to", join(d, "b"), "--json"], env);
    assert.equal(b.code, 0, b.stderr);
    const res = JSON.parse(b.stdout).backups[0];
    assert.equal(res.verifiedWith, "passphrase");
    assert.match(readFileSync(res.file).subarray(0, 120).toString("latin1"), /\n-> scrypt \S{22} 18\n/);
    assert.ok(!b.stdout.includes(PASS) && !b.stderr.includes(PASS));

    const v = await cli(["wallet", "verify", res.file], env);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /matches the SHA-256 recorded in its sidecar/);
    cleanError(await cli(["wallet", "verify", res.file], { NW_WALLET_PASS: "not the passphrase" }), /wrong passphrase/);

    const to = join(d, "restored.dat");
    const r = await cli(["wallet", "restore", res.file, "--to", to], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sha(to), sha(w));
    assert.equal(statSync(to).mode & 0o777, 0o600);
    cleanError(await cli(["wallet", "restore", res.file, "--to", to], env), /already exists; refusing/);
  });

  it("backs up to an age recipient given on the command line; exit 2 and a loud warning for an unencrypted wallet", async (t) => {
    if (!requireTools(t, "db5.3_load", "age", "age-keygen")) return;
    const d = fresh();
    const key = join(d, "key.txt");
    spawnSync("age-keygen", ["-o", key]);
    const recipient = spawnSync("age-keygen", ["-y", key]).stdout.toString().trim();
    const w = join(d, "wallet.dat");
    makeBdbWallet(w, walletRecords("plain", 5));
    chmodSync(w, 0o600);
    const b = await cli(["wallet", "backup", w, "--to", join(d, "b"), "-r", recipient]);
    assert.equal(b.code, 2, b.stderr);
    assert.match(b.stderr, /WARNING: .*NOT encrypted.*Encrypt it in the wallet software first/);
    const file = readdirSync(join(d, "b")).find((f) => f.endsWith(".age")) ?? "";
    const v = await cli(["wallet", "verify", join(d, "b", file), "-i", key]);
    assert.equal(v.code, 0, v.stderr);
    cleanError(await cli(["wallet", "verify", join(d, "b", file)], { NW_WALLET_PASS: PASS }), /encrypted to age keys and no identity file is given/);
    const l = await cli(["wallet", "list", w, "--to", join(d, "b"), "--json"]);
    assert.equal(JSON.parse(l.stdout).wallets[0].backups.length, 1);
    writeFileSync(join(d, "cut.age"), readFileSync(join(d, "b", file)).subarray(0, 3000));
    cleanError(await cli(["wallet", "verify", join(d, "cut.age"), "-i", key]), /truncated/);
    cleanError(await cli(["wallet", "verify", w, "-i", key]), /not an age-encrypted file/);
  });

  it("refuses to ask for a passphrase when standard input is not a terminal", async (t) => {
    if (!requireTools(t, "db5.3_load")) return;
    const d = fresh();
    const w = join(d, "wallet.dat");
    makeBdbWallet(w, walletRecords("encrypted", 3));
    const p = tempProject(`version: 1\ncoin: smartcash\nnodes:\n  tags: [x]\n`);
    try {
      const r = await runCli(["--config", p.file, "wallet", "backup", w, "--to", join(d, "b")], { cwd: p.dir });
      cleanError(r, /no passphrase: standard input is not a terminal/);
    } finally {
      p.cleanup();
    }
  });
});
