import { describe, it, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { until, watchWorld } from "./helpers/watch-world.ts";

/**
 * The real daemon under libfaketime (Debian's libfaketime), its system clock stepped while it runs
 * as NTP or `date -s` would: the wall clock moves, the monotonic clock does not (as on a real
 * machine), so FAKETIME_DONT_FAKE_MONOTONIC=1. The offset is read from a file the test rewrites.
 */
const LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

function faketime(t: TestContext, dir: string): { env: NodeJS.ProcessEnv; step(offset: string): void } | null {
  if (!existsSync(LIB)) {
    const reason = `${LIB} is missing (apt-get install libfaketime)`;
    if (process.env.CI === "true") assert.fail(`CI must run the clock-step tests, but: ${reason}`);
    t.skip(reason);
    return null;
  }
  const file = join(dir, "faketime");
  writeFileSync(file, "+0\n");
  return {
    env: { LD_PRELOAD: LIB, FAKETIME_TIMESTAMP_FILE: file, FAKETIME_CACHE_DURATION: "1", FAKETIME_DONT_FAKE_MONOTONIC: "1" },
    step: (offset) => writeFileSync(file, `${offset}\n`),
  };
}

describe("nodeward watch when the system clock is stepped", () => {
  it("goes on probing when the clock is set back 10 minutes, and alerts the jump", async (t) => {
    const world = await watchWorld(95);
    const children: ChildProcess[] = [];
    try {
      const ft = faketime(t, world.project.dir);
      if (ft === null) return;
      world.configure(`database: "${join(world.project.dir, "nodeward.db")}"`);
      const child = world.spawnWatch(ft.env);
      children.push(child);
      await until("the watcher probing", async () => ((await world.health())?.probes ?? 0) >= 4);
      const probes = (await world.health())!.probes;
      ft.step("-10m");
      await until("probes going on after the step", async () => ((await world.health())?.probes ?? 0) >= probes + 10, 15_000);
      await until("the clock-jump alert", () => world.alerts().some((a) => a.kind === "watcher-fault" && a.fault === "clock-jump"), 20_000);
      assert.match(world.alerts().find((a) => a.fault === "clock-jump")!.detail!, /jumped back by 10 min/);
      assert.equal((await world.health())?.status, "ok");
      assert.deepEqual(world.alerts().filter((a) => a.kind === "down"), [], "no node was taken for down");
    } finally {
      await world.close(children);
    }
  });

  it("does not escalate or reboot early when the clock jumps 2 hours forward while a node is down", async (t) => {
    const world = await watchWorld(96);
    const children: ChildProcess[] = [];
    try {
      const ft = faketime(t, world.project.dir);
      if (ft === null) return;
      world.configure(`database: "${join(world.project.dir, "nodeward.db")}", escalateAfterMinutes: [20, 40]`, "remediation: { enabled: true, afterMinutes: 0.5, windowMinutes: 30 }\n");
      const child = world.spawnWatch(ft.env);
      children.push(child);
      await until("the watcher probing", async () => ((await world.health())?.probes ?? 0) >= 4);
      const victim = world.instances[0]!;
      await world.down(victim.id);
      await until("the down alert", () => world.alerts().some((a) => a.kind === "down"));
      const downAt = Date.now();
      await new Promise((r) => setTimeout(r, 5_000));
      ft.step("+2h");
      // Well inside remediation.afterMinutes (30 s) of real time: nothing may have been sent or done yet.
      await new Promise((r) => setTimeout(r, Math.max(0, downAt + 15_000 - Date.now())));
      assert.deepEqual(world.alerts().filter((a) => a.kind === "escalation" || a.kind === "remediation").map((a) => a.kind), [], "no escalation or remediation brought forward");
      assert.deepEqual(world.sim.state.powerEvents(victim.id), [], "no reboot brought forward");
      await until("the clock-jump alert", () => world.alerts().some((a) => a.kind === "watcher-fault" && a.fault === "clock-jump"), 20_000);
      assert.match(world.alerts().find((a) => a.fault === "clock-jump")!.detail!, /jumped forward by 2 h/);
      await until("the reboot, once the node has really been down 30 s", () => world.sim.state.powerEvents(victim.id).length > 0, 40_000);
      assert.ok(Date.now() - downAt >= 25_000, `rebooted ${Date.now() - downAt} ms after the down alert`);
      assert.deepEqual(world.alerts().filter((a) => a.kind === "escalation"), [], "the 20-minute escalation is 20 real minutes away");
    } finally {
      await world.close(children);
    }
  });
});
