import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { backupWallet } from "../src/wallet/index.ts";
import { runCli, type CliResult } from "./helpers/cli.ts";
import { mountTmpfs, unprivileged } from "./helpers/fs-faults.ts";
import { hasTool, makeBdbWallet, requireTools, walletRecords } from "./helpers/wallet.ts";

/**
 * `wallet backup|restore|verify|list` against targets that cannot be used: a path through a file,
 * a directory that cannot be created, one this user may not write, a read-only file system, a
 * full disk. Each must end in one line naming the path and what to do (exit 1, no stack, never
 * "internal error … a bug"), with the wallet untouched and no partial file left behind.
 */

const root = mkdtempSync(join(tmpdir(), "nodeward-wallet-targets-"));
chmodSync(root, 0o755); // the unprivileged user of the EACCES cases must reach the wallet
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, `case${n++}`);
  mkdirSync(d, { mode: 0o755 });
  chmodSync(d, 0o755);
  return d;
};
const sha = (p: string) => spawnSync("sha256sum", [p]).stdout.toString().split(" ")[0] ?? "";

const cli = (args: string[], opts: { user?: { uid: number; gid: number }; timeoutMs?: number } = {}) =>
  runCli(["--quiet", ...args], { cwd: root, timeoutMs: opts.timeoutMs ?? 60_000, ...(opts.user ? { user: opts.user } : {}) });
const backupTo = (to: string, opts: { user?: { uid: number; gid: number }; timeoutMs?: number } = {}) => cli(["wallet", "backup", wallet, "--to", to, "-r", recipient], opts);
const restoreTo = (to: string, opts: { user?: { uid: number; gid: number } } = {}) => cli(["wallet", "restore", backup, "--to", to, "-i", key], opts);

let wallet = "";
let key = "";
let recipient = "";
let backup = ""; // readable by the unprivileged user too
let privateBackup = ""; // in root's 0700 backup directory
let walletBefore = { sha: "", mtimeMs: 0 };
before(async () => {
  if (!hasTool("db5.3_load") || !hasTool("age-keygen")) return;
  const d = fresh();
  wallet = join(d, "wallet.dat");
  makeBdbWallet(wallet, walletRecords("encrypted", 1200)); // ~300 KB: more than the small tmpfs below holds
  chmodSync(wallet, 0o600);
  key = join(d, "key.txt");
  spawnSync("age-keygen", ["-o", key]);
  recipient = spawnSync("age-keygen", ["-y", key]).stdout.toString().trim();
  const b = await cli(["wallet", "backup", wallet, "--to", join(d, "backups"), "-r", recipient, "--json"]);
  assert.equal(b.code, 0, b.stderr);
  privateBackup = JSON.parse(b.stdout).backups[0].file;
  backup = join(d, "wallet.dat.age");
  copyFileSync(privateBackup, backup);
  copyFileSync(`${privateBackup}.sha256`, `${backup}.sha256`);
  walletBefore = { sha: sha(wallet), mtimeMs: statSync(wallet).mtimeMs };
  const nobody = unprivileged();
  if (nobody) for (const f of [wallet, key, backup, `${backup}.sha256`]) chownSync(f, nobody.uid, nobody.gid); // its own files, still 0600
});

/** Exit 1, one error line matching `re` and one hint line, no stack, not reported as a bug; the wallet unchanged. */
function cleanRefusal(r: CliResult, re: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^nodeward: error: .*\n {2}→ .+\n$/, r.stderr);
  assert.match(r.stderr, re);
  assert.doesNotMatch(r.stderr, /internal error|a bug in nodeward|\n\s+at /);
  assert.equal(r.stdout, "");
  assert.deepEqual({ sha: sha(wallet), mtimeMs: statSync(wallet).mtimeMs }, walletBefore, "the wallet is untouched");
}

const ready = (t: TestContext) => requireTools(t, "db5.3_load", "age-keygen");

describe("wallet backup to a target that cannot be used", () => {
  it("names the file that stands where a directory should be (ENOTDIR, or a file as the directory), and writes nothing", async (t) => {
    if (!ready(t)) return;
    const d = fresh();
    const file = join(d, "notes.txt");
    writeFileSync(file, "not a directory\n");
    cleanRefusal(await backupTo(join(file, "backups")), new RegExp(`${file} is a file, not a directory.*\\n.*--to`));
    cleanRefusal(await backupTo(file), new RegExp(`${file} is a file, not a directory`));
    assert.deepEqual(readdirSync(d), ["notes.txt"]);
  });

  it("stops with a clear line when the directory cannot be created (under /proc), instead of spinning in mkdir", async (t) => {
    if (!ready(t)) return;
    if (!existsSync("/proc/self")) return void t.skip("needs Linux /proc");
    // Node 20's mkdir({recursive: true}) loops forever on /proc/<new>: mkdir gives ENOENT, the parent exists.
    const target = `/proc/nodeward-test-${process.pid}`;
    const r = await backupTo(target, { timeoutMs: 20_000 });
    assert.equal(r.signal, null, "the command ended by itself");
    cleanRefusal(r, new RegExp(`cannot create the backup directory ${target}`));
  });

  it("says which user may not write the directory (EACCES), for backup and restore, and leaves nothing behind", async (t) => {
    if (!ready(t)) return;
    const user = unprivileged();
    const d = fresh();
    const locked = join(d, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o555); // r-x for everyone: no one but root may create files in it
    const who = user ? /user nobody \(uid 65534\)/ : /user \S+ \(uid \d+\)/;
    const b = await backupTo(locked, user ? { user } : {});
    cleanRefusal(b, new RegExp(`cannot write to the backup directory ${locked}: permission denied`));
    assert.match(b.stderr, who);
    const r = await restoreTo(join(locked, "wallet.dat"), user ? { user } : {});
    cleanRefusal(r, new RegExp(`cannot write to the directory of the restored wallet ${locked}: permission denied`));
    assert.deepEqual(readdirSync(locked), []);
  });

  it("names a read-only file system (EROFS) for backup and restore", async (t) => {
    if (!ready(t)) return;
    const d = fresh();
    const ro = join(d, "ro");
    mkdirSync(ro);
    const unmount = mountTmpfs(t, ro, "ro,size=64k");
    if (!unmount) return;
    try {
      cleanRefusal(await backupTo(ro), new RegExp(`cannot write to the backup directory ${ro}: it is on a read-only file system`));
      cleanRefusal(await backupTo(join(ro, "sub")), new RegExp(`cannot create the backup directory ${join(ro, "sub")}: it is on a read-only file system`));
      cleanRefusal(await restoreTo(join(ro, "wallet.dat")), new RegExp(`cannot write to the directory of the restored wallet ${ro}: it is on a read-only file system`));
      assert.deepEqual(readdirSync(ro), []);
    } finally {
      unmount();
    }
  });

  it("on a full disk (ENOSPC) says so and removes the partial backup or restore", async (t) => {
    if (!ready(t)) return;
    const d = fresh();
    const small = join(d, "small");
    mkdirSync(small);
    const unmount = mountTmpfs(t, small, "size=64k");
    if (!unmount) return;
    try {
      cleanRefusal(await backupTo(small), new RegExp(`cannot write to the backup directory ${small}: no space left on the device`));
      assert.deepEqual(readdirSync(small), [], "no temp file, no sidecar");
      cleanRefusal(await restoreTo(join(small, "wallet.dat")), new RegExp(`cannot write to the directory of the restored wallet ${small}: no space left on the device`));
      assert.deepEqual(readdirSync(small), [], "no temp file, no partial wallet");
    } finally {
      unmount();
    }
  });
});

describe("wallet restore, verify and list with a target that cannot be used", () => {
  it("restore names a missing directory and a file standing in the path", async (t) => {
    if (!ready(t)) return;
    const d = fresh();
    const file = join(d, "notes.txt");
    writeFileSync(file, "x\n");
    cleanRefusal(await restoreTo(join(d, "missing", "dir", "wallet.dat")), new RegExp(`the directory of the restored wallet ${join(d, "missing", "dir")} does not exist`));
    cleanRefusal(await restoreTo(join(file, "wallet.dat")), new RegExp(`${file} is a file, not a directory`));
    assert.deepEqual(readdirSync(d), ["notes.txt"]);
  });

  it("verify tells a backup it may not read from a missing one, and list names a file in the directory's path", async (t) => {
    if (!ready(t)) return;
    const user = unprivileged();
    if (user) {
      // root's backup directory is 0700: nobody may not even look into it
      cleanRefusal(await cli(["wallet", "verify", privateBackup, "-i", key], { user }), new RegExp(`cannot read the backup ${privateBackup}: permission denied for user nobody`));
    }
    const d = fresh();
    const file = join(d, "notes.txt");
    writeFileSync(file, "x\n");
    cleanRefusal(await cli(["wallet", "list", wallet, "--to", join(file, "b")]), new RegExp(`${file} is a file, not a directory`));
  });
});

describe("a backup directory other users can change", () => {
  it("warns when the backup directory is world-writable, sticky or not, and when a parent is; the backup is still made", async (t) => {
    if (!ready(t)) return;
    const d = fresh();
    const open = join(d, "open");
    mkdirSync(open);
    chmodSync(open, 0o777);
    const r = await backupTo(open);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`WARNING: ${open} is world-writable \\(mode 0777\\): any local user can delete or replace backups in it, or plant a symlink`));
    const sticky = join(d, "sticky");
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    const s = await backupTo(sticky);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, new RegExp(`WARNING: ${sticky} is world-writable with the sticky bit \\(mode 1777\\)`));
    const inside = join(open, "mine");
    const p = await backupTo(inside);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stderr, new RegExp(`WARNING: ${open} \\(a parent of ${inside}\\) is world-writable without the sticky bit`));
    const quiet = await backupTo(join(d, "private"));
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.doesNotMatch(quiet.stderr, /WARNING/);
  });

  it("warns when another user owns the backup directory (root writing into nobody's)", async (t) => {
    if (!ready(t)) return;
    if (process.getuid?.() !== 0) {
      if (process.env.CI === "true") assert.fail("CI runs as root: this test needs it to give a directory to another user");
      return void t.skip("needs root to give a directory to another user (chown)");
    }
    const theirs = join(fresh(), "theirs");
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, 65534, 65534);
    const r = await backupTo(theirs);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`WARNING: ${theirs} belongs to user nobody: they can delete, replace or read backups written there`));
  });

  it("keeps a new backup and warns when old ones in a sticky directory belong to someone else and cannot be rotated out", async (t) => {
    if (!ready(t)) return;
    const user = unprivileged();
    if (user === undefined) {
      if (process.env.CI === "true") assert.fail("CI runs as root: this test needs it to run the CLI as another user");
      return void t.skip("needs root to run the CLI as another user, beside a backup it does not own");
    }
    const shared = join(fresh(), "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const old = join(shared, "wallet.dat.20200101T000000.000Z.age"); // root's: nobody may not delete it here
    writeFileSync(old, "old backup\n");
    const r = await cli(["wallet", "backup", wallet, "--to", shared, "-r", recipient, "--keep", "1"], { user });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /WARNING: .* is world-writable with the sticky bit/);
    assert.match(r.stderr, new RegExp(`WARNING: the backup is written, but older ones could not be rotated out: cannot use the backup directory ${shared}: operation not permitted`));
    assert.doesNotMatch(r.stderr, /internal error/);
    const ages = readdirSync(shared).filter((f) => f.endsWith(".age")).sort();
    assert.equal(ages.length, 2, "the new backup and the old one");
    assert.equal(readFileSync(old, "utf8"), "old backup\n");
  });

  it("never writes through a symlink planted at the backup's or the sidecar's name", async (t) => {
    if (!ready(t)) return;
    const d = fresh();
    const dir = join(d, "open");
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const victim = join(d, "victim.txt");
    writeFileSync(victim, "precious\n");
    const now = () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
    const name = "wallet.dat.20260102T030405.006Z.age";
    symlinkSync(join(d, "absent.txt"), join(dir, name)); // dangling: the name looks free
    symlinkSync(victim, join(dir, `${name}.sha256`));
    const r = await backupWallet({ wallet, dir, seal: { kind: "recipients", recipients: [recipient] }, keep: 5, now });
    assert.equal(readFileSync(victim, "utf8"), "precious\n", "the symlink's target is untouched");
    assert.equal(existsSync(join(d, "absent.txt")), false, "nothing was created through the dangling link");
    for (const f of [r.file, r.sidecar]) assert.ok(lstatSync(f).isFile() && !lstatSync(f).isSymbolicLink(), `${f} is a file of its own`);
    assert.equal(readFileSync(r.sidecar, "utf8").split(" ")[0], walletBefore.sha);
    assert.match(r.warnings.join("\n"), /world-writable/);
  });
});
