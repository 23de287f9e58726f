import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import type { AlertEvent } from "../alerts/event.ts";
import { createLogger } from "../core/logger.ts";
import { Redactor } from "../core/redact.ts";
import { settle, VirtualClock } from "../core/virtual-clock.test-support.ts";
import { openMemoryStore } from "../store/memory/open.ts";
import { probe } from "../store/contracts/samples.ts";
import { LeaderGuard } from "./leader.ts";
import { FleetMember, LEADER_LEASE } from "./member.ts";
import type { FleetStores } from "./ports.ts";
import { VantageView } from "./vantage-view.ts";

const INTERVAL = 4_000;
const log = createLogger({ level: "error", pretty: false, redactor: new Redactor(), out: new Writable({ write: (_c, _e, cb) => cb() }) });

/** A watcher of the fleet on the shared memory store: the member with a real lease guard, a stand-in engine and the alerts it queued. */
function watcher(name: string, store: FleetStores, clock: VirtualClock) {
  const calls: string[] = [];
  /** How many takeovers of the states fail before one works (the database hiccups). */
  const failLead = { count: 0 };
  /** Set: this watcher is dead (kill -9): its lease requests and heartbeats go nowhere. */
  const dead = { value: false };
  const leases: FleetStores["leases"] = {
    acquireLease: (...a) => (dead.value ? Promise.reject(new Error("dead")) : store.leases.acquireLease(...a)),
    releaseLease: (...a) => (dead.value ? Promise.reject(new Error("dead")) : store.leases.releaseLease(...a)),
    currentLease: (...a) => store.leases.currentLease(...a),
  };
  const shared: AlertEvent[] = [];
  const own: string[] = [];
  const guard = new LeaderGuard({ leases, clock, lease: LEADER_LEASE, holder: `${name}/1`, ttlMs: INTERVAL, log });
  const member = new FleetMember({
    vantage: { name, region: "", holder: `${name}/1`, startedAt: clock.now() },
    stores: { vantages: store.vantages, leases },
    guard,
    view: new VantageView({ latest: store.latest, vantages: store.vantages, self: name }),
    clock,
    intervalMs: INTERVAL,
    rule: "majority",
    engine: {
      lead: async () => {
        if (failLead.count > 0) {
          failLead.count--;
          calls.push("lead-failed");
          throw new Error("connect ECONNREFUSED");
        }
        calls.push("lead");
      },
      follow: () => void calls.push("follow"),
      offline: false,
    },
    alerts: { enqueue: async (es) => (shared.push(...es), es.length) },
    noLeader: { raise: async (d) => void own.push(`raise: ${d}`), clear: async () => void own.push("clear") },
    log,
  });
  return { name, guard, member, calls, shared, own, dead, failLead };
}

async function tick(clock: VirtualClock, ws: ReturnType<typeof watcher>[], ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1_000) {
    for (const w of ws) {
      await w.member.beat();
      await w.member.refresh();
      await w.member.checkLeader();
    }
    await clock.advance(1_000);
    await settle();
  }
}

describe("a watcher of a fleet", () => {
  it("leads only after taking over the states, runs the leader's loops during its term, and stops them when the lease is lost", async () => {
    const clock = new VirtualClock();
    const store = openMemoryStore({ clock });
    const a = watcher("fra-1", store, clock);
    const runs: string[] = [];
    const stopped = new AbortController();
    const loop = a.member.whileLeading(async (signal) => {
      runs.push("start");
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      runs.push("end");
    })(stopped.signal);
    assert.equal(a.member.leading(), false);
    assert.equal(a.member.fence(), null, "no fence before the first term");
    a.guard.start();
    await clock.advance(10);
    await settle();
    assert.deepEqual(a.calls, ["lead"]);
    assert.equal(a.member.leading(), true);
    assert.deepEqual(runs, ["start"]);
    const fence = a.member.fence();
    assert.equal(fence?.token, 1);

    // Another holder takes the lease (as after this watcher's lease lapsed unseen): the term ends.
    clock.pause(INTERVAL + 1);
    assert.ok((await store.leases.acquireLease(LEADER_LEASE, "sgp-1/1", INTERVAL)) !== null);
    assert.equal(a.member.leading(), false);
    await settle();
    assert.deepEqual(a.calls, ["lead", "follow"]);
    assert.deepEqual(runs, ["start", "end"]);
    assert.deepEqual(a.member.fence(), fence, "the last fence is still presented: the store refuses a stale write");
    stopped.abort();
    await a.guard.stop();
    await loop;
  });

  it("keeps trying to take over the states while it holds the lease: a leader never sits idle after a failed load", async () => {
    const clock = new VirtualClock();
    const store = openMemoryStore({ clock });
    const a = watcher("fra-1", store, clock);
    let failures = 2;
    a.failLead.count = failures;
    a.guard.start();
    await clock.advance(10);
    assert.equal(a.member.leading(), false, "the first load failed");
    for (; failures > 0; failures--) {
      await clock.advance(5_000);
      await settle();
    }
    assert.equal(a.member.leading(), true);
    assert.deepEqual(a.calls, ["lead-failed", "lead-failed", "lead"]);
    await a.guard.stop();
  });

  it("decides on the quorum of the live vantages it reads from the store", async () => {
    const clock = new VirtualClock();
    const store = openMemoryStore({ clock });
    const ws = ["fra-1", "sgp-1", "nyc-1"].map((n) => watcher(n, store, clock));
    const fra = ws[0]!;
    const at = clock.now();
    await store.probes.appendProbes([probe("n1", at, { ok: false, cause: "p2p timeout" })], "sgp-1");
    await store.probes.appendProbes([probe("n1", at)], "nyc-1");
    await tick(clock, ws, 1_000);
    const own = probe("n1", clock.now(), { ok: false, cause: "tcp 9678 refused" });
    assert.equal(fra.member.verdict(own).ok, false, "two of three fail: a majority");
    await store.probes.appendProbes([probe("n1", clock.now())], "sgp-1");
    await fra.member.refresh();
    assert.equal(fra.member.verdict(own).ok, true, "one of three fails: outvoted");
    assert.deepEqual(
      fra.member.results("n1", own).map((r) => `${r.vantage} ${r.ok}`).sort(),
      ["fra-1 false", "nyc-1 true", "sgp-1 true"],
    );
  });

  it("as the leader, alerts a silent vantage lost once and back once; with no leader for 2 intervals, says so itself", async () => {
    const clock = new VirtualClock();
    const store = openMemoryStore({ clock });
    const fra = watcher("fra-1", store, clock);
    const sgp = watcher("sgp-1", store, clock);
    fra.guard.start();
    await tick(clock, [fra, sgp], 2_000);
    assert.equal(fra.member.leading(), true);

    await tick(clock, [fra], 3 * INTERVAL);
    assert.deepEqual(fra.shared.map((e) => (e.kind === "vantage-lost" ? `${e.kind} ${e.vantage}` : e.kind)), ["vantage-lost sgp-1"]);
    await tick(clock, [fra, sgp], 2_000);
    assert.deepEqual(fra.shared.map((e) => e.kind), ["vantage-lost", "vantage-back"]);
    const [lost, back] = fra.shared;
    assert.ok(lost?.kind === "vantage-lost" && back?.kind === "vantage-back");
    assert.equal(back.lastSeenAt, lost.lastSeenAt, "one key for the loss: a leader taking over mid-loss finds the same alert");

    // The leader dies (kill -9: no release, no heartbeat); sgp-1, not competing yet, sees nobody lead once fra-1 is silent.
    fra.dead.value = true;
    await tick(clock, [sgp], 5 * INTERVAL);
    assert.ok(sgp.own.some((o) => o.startsWith("raise: sgp-1 has seen no leader")), sgp.own.join("\n"));
    sgp.guard.start();
    await tick(clock, [sgp], 2_000);
    assert.equal(sgp.member.leading(), true);
    assert.equal(sgp.own.at(-1), "clear");
    await sgp.guard.stop();
  });
});
