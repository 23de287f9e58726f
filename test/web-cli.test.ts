import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { AuthService } from "../src/auth/service.ts";
import { totpCode } from "../src/auth/totp.ts";
import { dashboardUsersAt, openAuthParts } from "../src/cli/auth-context.ts";
import { systemClock } from "../src/core/clock.ts";
import { runCli, tempProject } from "./helpers/cli.ts";

const BIN = new URL("../bin/nodeward.js", import.meta.url).pathname;
const PASSWORD = "correct horse battery";

/** The real bin with a pipe on stdin: `answer(stdout, stderr)` returns the lines to type as output arrives. */
function runInteractive(args: string[], cwd: string, answer: (out: string) => string | null): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let answered = false;
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const maybe = () => {
      if (answered) return;
      const line = answer(stdout);
      if (line === null) return;
      answered = true;
      child.stdin.end(line);
    };
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      maybe();
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    maybe();
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const YAML = `version: 1
coin: smartcash
nodes: { tags: [smartnode] }
watch: { database: ./data/nodeward.db }
`;

describe("nodeward user and 2fa", () => {
  it("adds a user from a prompted password, enrolls an authenticator after a valid code, regenerates backup codes, lists and unlocks", async () => {
    const p = tempProject(YAML);
    try {
      const added = await runInteractive(["user", "add", "alice"], p.dir, () => `${PASSWORD}\n${PASSWORD}\n`);
      assert.equal(added.code, 0, added.stderr);
      assert.match(added.stdout, /Added dashboard user alice/);
      assert.ok(!added.stdout.includes(PASSWORD) && !added.stderr.includes(PASSWORD), "the password is never echoed");
      assert.equal(statSync(join(p.dir, "data", "auth.key")).mode & 0o777, 0o600);
      assert.equal(statSync(join(p.dir, "data", "nodeward.db")).mode & 0o777, 0o600);

      const mismatch = await runInteractive(["user", "add", "bob"], p.dir, () => `${PASSWORD}\nsomething else entirely\n`);
      assert.equal(mismatch.code, 1);
      assert.match(mismatch.stderr, /the two passwords differ/);

      const enrol = await runInteractive(["2fa", "enroll", "alice"], p.dir, (out) => {
        const m = /by hand \(time-based, 6 digits, 30 s\): ([A-Z2-7]+)\n/.exec(out);
        return m === null ? null : `000000\n${totpCode(m[1]!, Date.now())}\n`;
      });
      assert.equal(enrol.code, 0, enrol.stderr);
      const uri = new URL(/^URI: (\S+)$/m.exec(enrol.stdout)![1]!);
      assert.equal(`${uri.protocol}//${uri.host}${decodeURIComponent(uri.pathname)}`, "otpauth://totp/nodeward:alice");
      assert.deepEqual(["issuer", "algorithm", "digits", "period"].map((k) => uri.searchParams.get(k)), ["nodeward", "SHA1", "6", "30"]);
      assert.match(uri.searchParams.get("secret")!, /^[A-Z2-7]{32}$/, "160 bits, base32, no padding");
      assert.match(enrol.stdout, /[▀▄█]/, "a QR code drawn in the terminal");
      assert.match(enrol.stderr, /That code does not match/, "the wrong code was refused first");
      assert.match(enrol.stdout, /PRINT THEM/);
      const codes = [...enrol.stdout.matchAll(/^\s+\d+\. ([a-z2-9]{4}(?:-[a-z2-9]{4}){3})$/gm)].map((m) => m[1]!);
      assert.equal(codes.length, 10);

      const regen = await runCli(["2fa", "backup-codes", "alice"], { cwd: p.dir });
      assert.equal(regen.code, 0, regen.stderr);
      const fresh = [...regen.stdout.matchAll(/^\s+\d+\. ([a-z2-9-]+)$/gm)].map((m) => m[1]!);
      assert.equal(fresh.length, 10);
      assert.ok(fresh.every((c) => !codes.includes(c)));

      // Lock alice through the auth API (as the dashboard would), then unlock from the CLI.
      const parts = openAuthParts(join(p.dir, "data", "nodeward.db"));
      try {
        const auth = new AuthService({ store: parts.store, box: parts.box, clock: systemClock });
        assert.equal((await auth.checkCode("alice", codes[0]!, null)).ok, false, "old codes died");
        for (let i = 0; i < 5; i++) await auth.checkPassword("alice", "wrong password!", null);
        const list = await runCli(["user", "list", "--json"], { cwd: p.dir });
        const users = JSON.parse(list.stdout) as { name: string; totpEnrolled: boolean; backupCodesRemaining: number; lockedUntil: string | null }[];
        assert.deepEqual(users.map((u) => [u.name, u.totpEnrolled, u.backupCodesRemaining, u.lockedUntil !== null]), [["alice", true, 10, true]]);
        const unlocked = await runCli(["user", "unlock", "alice"], { cwd: p.dir });
        assert.match(unlocked.stdout, /Unlocked alice/);
        assert.deepEqual(await auth.checkPassword("alice", PASSWORD, null), { ok: true, next: "code" });
        assert.deepEqual(await dashboardUsersAt(join(p.dir, "data", "nodeward.db")).list(), [{ name: "alice", totpEnrolled: true, backupCodesRemaining: 10 }]);
        const plain = await runCli(["user", "list"], { cwd: p.dir });
        assert.match(plain.stdout, /alice\s+enrolled\s+10 left\s+no/);
      } finally {
        parts.close();
      }
    } finally {
      p.cleanup();
    }
  });

  it("refuses a bad name, an unknown user, and a password from a closed input, with a clear message", async () => {
    const p = tempProject(YAML);
    try {
      const bad = await runCli(["user", "add", "Not A Name"], { cwd: p.dir });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /is not a user name/);
      assert.ok(!existsSync(join(p.dir, "data")), "nothing created for bad input");
      const closed = await runCli(["user", "add", "carol"], { cwd: p.dir });
      assert.equal(closed.code, 1);
      assert.match(closed.stderr, /standard input ended/);
      const ghost = await runCli(["user", "unlock", "ghost"], { cwd: p.dir });
      assert.equal(ghost.code, 1);
      assert.match(ghost.stderr, /no user "ghost"/);
    } finally {
      p.cleanup();
    }
  });
});
