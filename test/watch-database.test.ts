import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import Database from "better-sqlite3";
import { openSqliteAuthStore, openSqliteStore } from "../src/store/index.ts";
import { minutes, T0 } from "../src/store/contracts/samples.ts";
import { runCli } from "./helpers/cli.ts";
import { until, watchWorld } from "./helpers/watch-world.ts";

const alice = { name: "alice", passwordHash: "scrypt$x", createdAt: T0, totpSecret: "sealed", totpEnrolledAt: T0, totpLastStep: null, pendingTotpSecret: null, failedAttempts: 0, lockedUntil: null };

async function addUser(path: string): Promise<void> {
  const auth = openSqliteAuthStore(path);
  await auth.createUser(alice);
  auth.close();
}

async function users(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await runCli(["user", "list"], { cwd: dir, env });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

describe("nodeward watch and its database file", () => {
  it("sets a damaged database aside at start, starts a new one with the dashboard users carried over, and alerts it", async () => {
    const world = await watchWorld(97);
    const children: ChildProcess[] = [];
    try {
      const path = join(world.project.dir, "nodeward.db");
      const s = openSqliteStore(path);
      for (let i = 0; i < 40; i++) await s.probes.appendProbes(minutes(world.instances[0]!.id, T0 + i * 6_000_000, 100));
      await s.nodeStates.save([{ nodeId: world.instances[0]!.id, health: "up", degraded: null, failures: 0, successes: 0, lastGoodAt: T0, lastProbeAt: T0, failingSince: null, incident: null }]);
      s.close();
      await addUser(path);
      // A bad sector in the probe history: the root page of the probes table overwritten.
      const db = new Database(path, { readonly: true });
      const page = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'probes'").pluck().get() as number;
      const size = db.pragma("page_size", { simple: true }) as number;
      db.close();
      const fd = openSync(path, "r+");
      writeSync(fd, Buffer.alloc(size, 0xa5), 0, size, (page - 1) * size);
      closeSync(fd);

      world.configure(`database: "${path}"`);
      const child = world.spawnWatch();
      children.push(child);
      await until("the database-corrupt alert", () => world.alerts().some((a) => a.kind === "watcher-fault" && a.fault === "database-corrupt"), 30_000);
      const detail = world.alerts().find((a) => a.fault === "database-corrupt")!.detail!;
      assert.match(detail, /moved to .*nodeward\.db\.corrupt-/);
      assert.match(detail, /auth_users \(1\)/);
      await until("the watcher probing on the new database", async () => ((await world.health())?.probes ?? 0) >= 4);
      assert.equal(readdirSync(world.project.dir).filter((f) => /^nodeward\.db\.corrupt-[^.]+$/.test(f)).length, 1, "the damaged file is kept");
      assert.match(await users(world.project.dir, { VULTR_API_KEY: world.sim.apiKey }), /alice/);
      assert.equal(child.exitCode, null);
    } finally {
      await world.close(children);
    }
  });

  it("writes the database back when it is deleted while the watcher runs, auth key included, and goes on with the open incident", async () => {
    const world = await watchWorld(98);
    const children: ChildProcess[] = [];
    try {
      const dir = join(world.project.dir, "data");
      const path = join(dir, "nodeward.db");
      world.configure(`database: "${path}"`);
      const child = world.spawnWatch();
      children.push(child);
      await until("the watcher probing", async () => ((await world.health())?.probes ?? 0) >= 4);
      await addUser(path);
      const key = readFileSync(join(dir, "auth.key"));
      const victim = world.instances[0]!;
      await world.down(victim.id);
      await until("the down alert", () => world.alerts().some((a) => a.kind === "down"));
      const incident = world.alerts().find((a) => a.kind === "down")!.incidentId;

      rmSync(dir, { recursive: true, force: true }); // a cleanup script gone wrong: the whole data directory
      await until("the database-deleted alert", () => world.alerts().some((a) => a.kind === "watcher-fault" && a.fault === "database-deleted"), 30_000);
      assert.ok(existsSync(path), "the database is back at its path");
      assert.deepEqual(readFileSync(join(dir, "auth.key")), key, "the same auth key, so enrolled authenticators still work");
      assert.match(await users(world.project.dir, { VULTR_API_KEY: world.sim.apiKey }), /alice/);
      await until("the watcher probing again", async () => (await world.health())?.status === "ok");

      await world.up(victim.id);
      await until("the recovered alert", () => world.alerts().some((a) => a.kind === "recovered"));
      assert.equal(world.alerts().find((a) => a.kind === "recovered")!.incidentId, incident, "the incident opened before the deletion was closed");
      assert.equal(world.alerts().filter((a) => a.kind === "down").length, 1);
      child.kill("SIGTERM");
      const [code] = (await once(child, "exit")) as [number | null];
      assert.equal(code, 0, child.stderrText());
    } finally {
      await world.close(children);
    }
  });
});
