import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { systemClock } from "../core/clock.ts";
import { createLogger } from "../core/logger.ts";
import { Redactor } from "../core/redact.ts";
import { settle, VirtualClock } from "../core/virtual-clock.test-support.ts";
import { memoryLeaseStore } from "../store/memory/lease-store.ts";
import { LeaderGuard, type LossReason } from "./leader.ts";
import type { Fence, LeaseStore } from "./ports.ts";

const TTL = 3_000;
const log = createLogger({ level: "error", pretty: false, redactor: new Redactor(), out: new Writable({ write: (_c, _e, cb) => cb() }) });

/**
 * A real memory lease store, seen by one watcher through a link the test controls: cut (every
 * request fails, as with the database down), slow (each request waits on the clock before the
 * store sees it, so the grant is later than the request), and counted.
 */
function link(inner: LeaseStore, clock: VirtualClock) {
  const state = { down: false, delayMs: 0, requests: 0, inFlight: 0, maxInFlight: 0 };
  const store: LeaseStore = {
    async acquireLease(name, holder, ttlMs) {
      state.requests++;
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      try {
        if (state.delayMs > 0) await clock.sleep(state.delayMs);
        if (state.down) throw new Error("connect ECONNREFUSED 10.0.0.5:5432");
        return await inner.acquireLease(name, holder, ttlMs);
      } finally {
        state.inFlight--;
      }
    },
    releaseLease: (name, holder) => (state.down ? Promise.reject(new Error("connect ECONNREFUSED")) : inner.releaseLease(name, holder)),
    currentLease: (name) => inner.currentLease(name),
  };
  return { store, state };
}

function guard(leases: LeaseStore, clock: VirtualClock, holder: string) {
  const g = new LeaderGuard({ leases, clock, lease: "leader", holder, ttlMs: TTL, log });
  const gained: Fence[] = [];
  const lost: LossReason[] = [];
  g.onGained((f) => gained.push(f));
  g.onLost((why) => lost.push(why));
  return { g, gained, lost };
}

function world() {
  const clock = new VirtualClock();
  const skew = { ms: 0 };
  // The store's own clock: the system's, unless a test makes it run ahead.
  const leases = memoryLeaseStore({ now: () => clock.now() + skew.ms });
  return { clock, leases, skew };
}

describe("LeaderGuard", () => {
  it("takes the free lease on start with token 1 and says so once", async () => {
    const { clock, leases } = world();
    const a = guard(leases, clock, "fra-1/a");
    assert.equal(a.g.isLeader(), false);
    assert.equal(a.g.fence(), null);
    a.g.start();
    await clock.advance(0);
    assert.equal(a.g.isLeader(), true);
    assert.deepEqual(a.g.fence(), { name: "leader", holder: "fra-1/a", token: 1 });
    assert.deepEqual(a.gained, [{ name: "leader", holder: "fra-1/a", token: 1 }]);
    await a.g.stop();
  });

  it("renews every ttl/3 and leads for as long as renewals succeed", async () => {
    const { clock, leases } = world();
    const l = link(leases, clock);
    const a = guard(l.store, clock, "fra-1/a");
    a.g.start();
    for (let i = 0; i < 30; i++) {
      await clock.advance(TTL / 3);
      assert.equal(a.g.isLeader(), true, `still leading after ${(i + 1) * (TTL / 3)} ms`);
    }
    assert.equal(l.state.requests, 31, "one request at start, then one each ttl/3");
    assert.equal(a.gained.length, 1);
    assert.deepEqual(a.lost, []);
    await a.g.stop();
  });

  it("keeps a second watcher out while the first leads, and lets it take over with the next token once the first is cut off", async () => {
    const { clock, leases } = world();
    const la = link(leases, clock);
    const a = guard(la.store, clock, "fra-1/a");
    const b = guard(leases, clock, "sgp-1/b");
    a.g.start();
    await clock.advance(0);
    b.g.start();
    await clock.advance(2 * TTL);
    assert.equal(a.g.isLeader(), true);
    assert.equal(b.g.isLeader(), false);
    la.state.down = true; // the first watcher's path to the database is cut
    let takeover = 0;
    for (let t = 100; t <= 3 * TTL; t += 100) {
      await clock.advance(100);
      assert.ok(!(a.g.isLeader() && b.g.isLeader()), `never two leaders (at +${t} ms)`);
      if (takeover === 0 && b.g.isLeader()) takeover = t;
    }
    assert.deepEqual(a.lost, ["expired"]);
    assert.deepEqual(b.gained.map((f) => f.token), [2]);
    assert.ok(takeover > 0 && takeover <= TTL + TTL / 3 + TTL / 3, `took over ${takeover} ms after the cut`);
    await a.g.stop();
    await b.g.stop();
  });

  it("trusts a grant only until ttl after its request started, however late the answer came", async () => {
    const { clock, leases } = world();
    const l = link(leases, clock);
    const a = guard(l.store, clock, "fra-1/a");
    l.state.delayMs = 1_000;
    const started = clock.monotonic();
    const leading = a.g.renew();
    await clock.advance(1_000);
    assert.equal(await leading, true);
    l.state.delayMs = 0;
    l.state.down = true; // no renewal comes back from now on
    assert.equal(await a.g.renew(), true, "a failed renewal keeps leadership while the grant lasts");
    await clock.advance(started + TTL - 1 - clock.monotonic());
    assert.equal(a.g.isLeader(), true, "1 ms before request start + ttl");
    await clock.advance(1);
    assert.equal(a.g.isLeader(), false, "at request start + ttl, though the store granted 1 s later");
    assert.deepEqual(a.lost, ["expired"]);
    await a.g.stop();
  });

  it("sees itself lost the moment a stopped process resumes, before any timer fires, and stays out once another took over", async () => {
    const { clock, leases } = world();
    const a = guard(leases, clock, "fra-1/a");
    a.g.start();
    await clock.advance(TTL);
    assert.equal(a.g.isLeader(), true);
    clock.pause(TTL + 500); // SIGSTOP … SIGCONT: time moved, no timer has run yet
    assert.equal(a.g.isLeader(), false);
    assert.deepEqual(a.lost, ["expired"]);
    const b = guard(leases, clock, "sgp-1/b");
    b.g.start();
    await settle();
    assert.equal(b.g.fence()?.token, 2);
    await clock.advance(3 * TTL);
    assert.equal(a.g.isLeader(), false, "its renewals are refused while the other leads");
    assert.equal(a.gained.length, 1);
    await a.g.stop();
    await b.g.stop();
  });

  it("gives no fence for a write the moment a stopped process resumes", async () => {
    const { clock, leases } = world();
    const a = guard(leases, clock, "fra-1/a");
    a.g.start();
    await clock.advance(TTL);
    assert.equal(a.g.fence()?.token, 1);
    clock.pause(TTL);
    assert.equal(a.g.fence(), null);
    assert.deepEqual(a.lost, ["expired"]);
    await a.g.stop();
  });

  it("says it lost when the grant ends while a renewal hangs, without being asked", async () => {
    const { clock, leases } = world();
    const l = link(leases, clock);
    const a = guard(l.store, clock, "fra-1/a");
    a.g.start();
    await clock.advance(0);
    const lastGood = clock.monotonic();
    l.state.delayMs = 100 * TTL; // the next renewal does not come back
    await clock.advance(TTL - 1);
    assert.deepEqual(a.lost, []);
    await clock.advance(1);
    assert.deepEqual(a.lost, ["expired"], `onLost at the grant's end (${clock.monotonic() - lastGood} ms after it was asked for)`);
    const stopped = a.g.stop();
    await clock.advance(TTL);
    await stopped;
  });

  it("keeps leading through failed renewals only until the last good grant ends, then leads again, same token, when the store is back", async () => {
    const { clock, leases } = world();
    const l = link(leases, clock);
    const a = guard(l.store, clock, "fra-1/a");
    a.g.start();
    await clock.advance(0);
    const lastGood = clock.monotonic();
    l.state.down = true;
    await clock.advance(TTL - 1);
    assert.equal(a.g.isLeader(), true, "two renewals failed, the grant still runs");
    await clock.advance(1);
    assert.equal(a.g.isLeader(), false);
    assert.equal(clock.monotonic(), lastGood + TTL);
    assert.deepEqual(a.lost, ["expired"]);
    l.state.down = false;
    await clock.advance(TTL / 3);
    assert.equal(a.g.isLeader(), true);
    assert.deepEqual(a.gained.map((f) => f.token), [1, 1], "nobody held it in between: the same tenure");
    await a.g.stop();
  });

  it("stops leading at once when the store says another holder has the lease", async () => {
    const { clock, leases, skew } = world();
    const a = guard(leases, clock, "fra-1/a");
    a.g.start();
    await clock.advance(0);
    skew.ms = 2 * TTL; // the store's clock runs ahead: it thinks the lease lapsed
    const b = guard(leases, clock, "sgp-1/b");
    assert.equal(await b.g.renew(), true);
    assert.equal(a.g.isLeader(), true, "it cannot know before it asks");
    await clock.advance(TTL / 3);
    assert.equal(a.g.isLeader(), false);
    assert.deepEqual(a.lost, ["taken"]);
    await a.g.stop();
    await b.g.stop();
  });

  it("on stop says it lost, releases, and another watcher takes over at once with the next token", async () => {
    const { clock, leases } = world();
    const a = guard(leases, clock, "fra-1/a");
    const b = guard(leases, clock, "sgp-1/b");
    a.g.start();
    await clock.advance(0);
    await a.g.stop();
    assert.equal(clock.pending, 0, "the stopped guard left no timer behind");
    assert.deepEqual(a.lost, ["stopped"]);
    assert.equal(a.g.isLeader(), false);
    assert.equal(await b.g.renew(), true);
    assert.equal(b.g.fence()?.token, 2);
    assert.equal(await a.g.renew(), false, "a stopped guard never asks again");
    await b.g.stop();
  });

  it("on stop waits for the request in flight, so a grant that comes back late cannot outlive the release", async () => {
    const { clock, leases } = world();
    const l = link(leases, clock);
    const a = guard(l.store, clock, "fra-1/a");
    l.state.delayMs = 500;
    a.g.start();
    await settle();
    const stopped = a.g.stop();
    await clock.advance(500);
    await stopped;
    assert.equal(a.g.isLeader(), false);
    assert.deepEqual(a.gained, [], "the late grant was not acted on");
    const lease = await leases.currentLease("leader");
    assert.ok(lease !== null && lease.expiresAt <= clock.now(), "released after the grant landed");
  });

  it("never has two requests out at once", async () => {
    const { clock, leases } = world();
    const l = link(leases, clock);
    const a = guard(l.store, clock, "fra-1/a");
    l.state.delayMs = TTL; // slower than the renewal period
    a.g.start();
    const extra = [a.g.renew(), a.g.renew()];
    await clock.advance(5 * TTL);
    await Promise.all(extra);
    assert.equal(l.state.maxInFlight, 1);
    assert.ok(l.state.requests >= 4, `${l.state.requests} requests, one after another`);
    const stopped = a.g.stop();
    await clock.advance(TTL);
    await stopped;
  });

  it("goes on when a listener throws", async () => {
    const { clock, leases } = world();
    const a = guard(leases, clock, "fra-1/a");
    a.g.onGained(() => {
      throw new Error("listener bug");
    });
    const off = a.g.onGained(() => assert.fail("unsubscribed"));
    off();
    a.g.start();
    await clock.advance(TTL);
    assert.equal(a.g.isLeader(), true);
    assert.equal(a.gained.length, 1);
    await a.g.stop();
  });

  it("on the system clock, hands over from a cut-off leader to another with the next token", async (t) => {
    const leases = memoryLeaseStore(systemClock);
    const cut = { on: false };
    const aLeases: LeaseStore = { ...leases, acquireLease: (n, h, t) => (cut.on ? Promise.reject(new Error("cut")) : leases.acquireLease(n, h, t)) };
    const ttlMs = 240;
    const a = new LeaderGuard({ leases: aLeases, clock: systemClock, lease: "leader", holder: "fra-1/a", ttlMs, log });
    const b = new LeaderGuard({ leases, clock: systemClock, lease: "leader", holder: "sgp-1/b", ttlMs, log });
    const aLost = new Promise<LossReason>((resolve) => a.onLost(resolve));
    const bGained = new Promise<Fence>((resolve) => b.onGained(resolve));
    try {
      assert.equal(await a.renew(), true);
      a.start();
      b.start();
      await systemClock.sleep(ttlMs);
      assert.deepEqual([a.isLeader(), b.isLeader()], [true, false]);
      cut.on = true;
      const cutAt = systemClock.monotonic();
      assert.equal(await aLost, "expired");
      const lostAfter = systemClock.monotonic() - cutAt;
      assert.equal((await bGained).token, 2);
      assert.equal(a.isLeader(), false);
      t.diagnostic(`the cut-off leader knew it lost ${lostAfter.toFixed(0)} ms after the cut (ttl ${ttlMs} ms)`);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
