import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACCOUNT_POLICY } from "../src/auth/throttle.ts";
import { openSqliteAuthStore } from "../src/store/sqlite/auth-store.ts";

/**
 * The account's attempt slots hold across processes: several processes (test/fixtures/
 * attempt-reserver.ts) ask for slots of one account in the same SQLite file at the same moment;
 * together they are granted exactly the account's limit, and none fails on a busy database.
 */
const ROOT = new URL("..", import.meta.url).pathname;
const RESERVER = join(ROOT, "test", "fixtures", "attempt-reserver.ts");
const PROCESSES = 4;

function start(path: string): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; done: Promise<number> } {
  const child = spawn(process.execPath, ["--import", "tsx", RESERVER, path, "alice", "40"], { cwd: ROOT });
  let out = "";
  let err = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (out.startsWith("ready\n")) markReady();
  });
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const done = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const m = /granted (\d+)/.exec(out);
      if (code !== 0 || m === null) reject(new Error(`reserver exited ${code}: ${err}${out}`));
      else resolve(Number(m[1]));
    });
  });
  return { child, ready, done };
}

describe("attempt slots across processes", () => {
  it(`grants ${PROCESSES} processes asking at once no more than the account's limit together`, { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "nodeward-attempts-"));
    try {
      const path = join(dir, "nodeward.db");
      const store = openSqliteAuthStore(path);
      await store.createUser({ name: "alice", passwordHash: "scrypt$x", createdAt: 0, totpSecret: null, totpEnrolledAt: null, totpLastStep: null, pendingTotpSecret: null, failedAttempts: 0, lockedUntil: null });
      const runs = Array.from({ length: PROCESSES }, () => start(path));
      await Promise.all(runs.map((r) => r.ready));
      for (const r of runs) r.child.stdin.end("go\n");
      const granted = await Promise.all(runs.map((r) => r.done));
      assert.equal(granted.reduce((a, b) => a + b, 0), ACCOUNT_POLICY.maxFailures, `granted ${granted.join(" + ")}`);
      const alice = await store.getUser("alice");
      assert.equal(alice?.failedAttempts, ACCOUNT_POLICY.maxFailures);
      assert.ok((alice?.lockedUntil ?? 0) > Date.now(), "locked");
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
