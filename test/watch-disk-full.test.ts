import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { runCli } from "./helpers/cli.ts";
import { smallTmpfs } from "./helpers/tmpfs.ts";
import { until, watchWorld } from "./helpers/watch-world.ts";

/** Writes until the file system says no: a full disk, as a runaway log would leave it. */
function fillUp(file: string): number {
  const fd = openSync(file, "w");
  const chunk = Buffer.alloc(4096, 1);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOSPC") throw e;
  } finally {
    closeSync(fd);
  }
  return written;
}

describe("nodeward watch on a full disk", () => {
  it("keeps probing, alerting and serving /healthz (degraded) while its database cannot be written, and writes everything once there is room", async (t) => {
    const fs = smallTmpfs(t, 600);
    if (fs === null) return;
    const world = await watchWorld(94);
    const db = join(fs.dir, "nodeward.db");
    world.configure(`database: "${db}"`);
    const children: ChildProcess[] = [];
    try {
      const child = world.spawnWatch();
      children.push(child);
      await until("the watcher probing both nodes", async () => ((await world.health())?.probes ?? 0) >= 4);

      const ballast = join(fs.dir, "ballast");
      assert.ok(fillUp(ballast) > 0);
      await until("/healthz saying degraded: storage", async () => (await world.health())?.faults?.some((f) => f.fault === "storage") === true, 20_000);
      const degraded = await fetch(`http://127.0.0.1:${world.port}/healthz`);
      assert.equal(degraded.status, 503, "a degraded watcher does not answer 200");
      await until("the watcher-fault alert, sent although the outbox cannot be written", () => world.alerts().some((a) => a.kind === "watcher-fault" && a.fault === "storage"));

      const victim = world.instances[0]!;
      await world.down(victim.id);
      await until("the down alert while the disk is full", () => world.alerts().some((a) => a.kind === "down"));
      const probes = (await world.health())!.probes;
      await until("probes going on", async () => ((await world.health())?.probes ?? 0) > probes + 4);
      assert.equal(child.exitCode, null, "still running");

      rmSync(ballast);
      await until("the fault cleared once there is room", () => world.alerts().some((a) => a.kind === "watcher-fault-cleared" && a.fault === "storage"), 20_000);
      await until("/healthz ok again", async () => (await world.health())?.status === "ok");
      const status = await runCli(["status", "--json"], { cwd: world.project.dir, env: { VULTR_API_KEY: world.sim.apiKey } });
      const rows = (JSON.parse(status.stdout) as { nodes: { node: string; health: string; incident: object | null }[] }).nodes;
      const down = rows.find((r) => r.node === "sn-1");
      assert.equal(down?.health, "down", "the state held in memory reached the database");
      assert.notEqual(down?.incident, null, "the incident opened while the disk was full was written");
      assert.deepEqual(world.alerts().filter((a) => a.kind === "down").length, 1, "the down alert went out once");

      child.kill("SIGTERM");
      const [code] = (await once(child, "exit")) as [number | null];
      assert.equal(code, 0, child.stderrText());
    } finally {
      await world.close(children);
      fs.unmount();
    }
  });
});
