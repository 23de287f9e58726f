import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { systemClock } from "../core/clock.ts";
import { createLogger } from "../core/logger.ts";
import { Redactor } from "../core/redact.ts";
import { runDaemon, type DaemonParts } from "./daemon.ts";
import { Lifecycle } from "./lifecycle.ts";

const log = createLogger({ level: "error", pretty: false, redactor: new Redactor(), out: new Writable({ write: (_c, _e, cb) => cb() }) }); // fatal lines are expected here

/** A scheduler that turns every 10 ms until stopped, unless told to fail or to hang. */
function scheduler(behaviour: "turns" | "throws" | "returns" | "hangs") {
  let turned = systemClock.monotonic();
  return {
    heartbeat: () => turned,
    async run(signal: AbortSignal) {
      if (behaviour === "throws") {
        await systemClock.sleep(50);
        throw new Error("database or disk is full");
      }
      if (behaviour === "returns") return;
      while (!signal.aborted) {
        await systemClock.sleep(10, signal).catch(() => undefined);
        if (behaviour === "turns") turned = systemClock.monotonic();
      }
    },
  };
}

function parts(over: Partial<DaemonParts> & { stop?: AbortController } = {}) {
  const stop = over.stop ?? new AbortController();
  const lifecycle = new Lifecycle(stop.signal);
  const periodicStopped: string[] = [];
  const failures: string[] = [];
  const p: DaemonParts = {
    clock: systemClock,
    log,
    lifecycle,
    load: async () => {},
    refresh: async () => {},
    scheduler: scheduler("turns"),
    dispatcher: { run: (signal) => new Promise((r) => signal.addEventListener("abort", () => r(), { once: true })), flush: async () => ({ remaining: 0 }) },
    periodic: [{ what: "escalation tick", everyMs: 20, run: async (signal) => void (signal.aborted && periodicStopped.push("tick")) }],
    stallMs: 60_000,
    onFailure: async (reason) => void failures.push(reason),
    ...over,
  };
  return { p, stop, lifecycle, failures };
}

describe("the daemon's loops", () => {
  it("stops every loop and reports stopped on request", async () => {
    const t = parts();
    const done = runDaemon(t.p);
    await systemClock.sleep(50);
    t.stop.abort();
    assert.deepEqual(await done, { kind: "stopped" });
    assert.deepEqual(t.failures, []);
  });

  it("fails the run, stopping the other loops, when the probe scheduler throws (never a live process that does nothing)", async () => {
    const t = parts({ scheduler: scheduler("throws") });
    const outcome = await runDaemon(t.p);
    assert.deepEqual(outcome, { kind: "failed", reason: "the probe scheduler failed: database or disk is full" });
    assert.equal(t.lifecycle.signal.aborted, true, "every loop's signal is aborted");
    assert.deepEqual(t.failures, [outcome.reason], "the failure is alerted before the end");
  });

  it("fails the run when a loop returns on its own", async () => {
    const t = parts({ scheduler: scheduler("returns") });
    assert.deepEqual(await runDaemon(t.p), { kind: "failed", reason: "the probe scheduler stopped" });
  });

  it("fails the run when the probe scheduler stops turning", async () => {
    const t = parts({ scheduler: scheduler("hangs"), stallMs: 200 });
    const outcome = await runDaemon(t.p);
    assert.equal(outcome.kind, "failed");
    assert.match(outcome.kind === "failed" ? outcome.reason : "", /the probe scheduler has not turned for \d+ s/);
  });

  it("starts again on a set-aside database when loading finds the file damaged (the composition root asks for it)", async () => {
    let refreshed = false;
    const t = parts({ refresh: async () => void (refreshed = true) });
    t.p.load = async () => t.lifecycle.restart("the database is damaged", { recover: true });
    assert.deepEqual(await runDaemon(t.p), { kind: "restart", reason: "the database is damaged", recover: true, notices: [] });
    assert.equal(refreshed, false, "no loop started on the damaged store");
  });

  it("throws any other failure at start, for the command to report", async () => {
    const t = parts({ load: async () => { throw new Error("schema too new"); } });
    await assert.rejects(runDaemon(t.p), /schema too new/);
  });

  it("keeps running when a periodic loop fails, logging each failure", async () => {
    let runs = 0;
    const t = parts({ periodic: [{ what: "inventory refresh", everyMs: 5, run: async () => { runs++; throw new Error("provider down"); } }] });
    const done = runDaemon(t.p);
    await systemClock.sleep(100);
    assert.ok(runs >= 3, `ran ${runs} times`);
    assert.equal(t.lifecycle.outcome, null, "still running");
    t.stop.abort();
    assert.equal((await done).kind, "stopped");
  });
});
