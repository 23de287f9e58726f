import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import type { AlertEvent } from "../alerts/event.ts";
import type { MonotonicClock } from "../core/clock.ts";
import { createLogger } from "../core/logger.ts";
import { Redactor } from "../core/redact.ts";
import { openMemoryStore } from "../store/index.ts";
import { WatchEngine, type EngineDeps, type WatchedNode } from "./engine.ts";
import type { ProbeRecord } from "./model.ts";
import { SMARTCASH_EXPIRY } from "./reward-clock.ts";

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 26, 3, 0, 0);

function setup(stores = openMemoryStore(), selfOk = { value: true }, fleet: Pick<EngineDeps, "leading" | "stillLeading" | "verdict" | "vantage"> = {}) {
  let now = T0;
  const clock: MonotonicClock = { now: () => now, monotonic: () => now, sleep: async () => {} };
  const alerts: AlertEvent[] = [];
  const log = createLogger({ level: "error", pretty: false, redactor: new Redactor(), out: new Writable({ write: (_c, _e, cb) => cb() }) });
  const engine = new WatchEngine({
    clock,
    thresholds: { failuresToDown: 3, successesToUp: 2, escalateAfterMinutes: [20, 40], maxHeightLag: 10, minProtocolVersion: 90034 },
    expiry: SMARTCASH_EXPIRY,
    ...stores,
    alerts: { enqueue: async (es) => (alerts.push(...es), es.length) },
    selfCheck: async () => selfOk.value,
    log,
    ...fleet,
  });
  return { engine, alerts, stores, advance: (ms: number) => (now += ms), at: () => now };
}

const nodes: WatchedNode[] = [
  { nodeId: "a", name: "sn-a", address: "198.18.0.1", instanceId: "i-a" },
  { nodeId: "b", name: "sn-b", address: "198.18.0.2", instanceId: "i-b" },
];
const probe = (nodeId: string, at: number, ok: boolean): ProbeRecord => ({ nodeId, at, ok, cause: ok ? null : "p2p timeout", latencyMs: ok ? 4 : null, height: ok ? 1000 : null, protocolVersion: ok ? 90035 : null });

describe("the watch engine", () => {
  it("opens an incident and alerts with the reward clock after three failures", async () => {
    const t = setup();
    await t.engine.setNodes(nodes);
    await t.engine.record([probe("a", t.at(), true), probe("b", t.at(), true)]);
    const lastGood = t.at();
    for (let i = 0; i < 3; i++) {
      t.advance(15_000);
      await t.engine.record([probe("a", t.at(), false), probe("b", t.at(), true)]);
    }
    assert.deepEqual(t.alerts.map((a) => a.kind), ["down"]);
    const down = t.alerts[0];
    assert.ok(down?.kind === "down");
    assert.equal(down.node.name, "sn-a");
    assert.equal(down.clock.expiresAt, lastGood + 65 * MIN);
    assert.equal(down.clock.newStartAt, lastGood + 120 * MIN);
    const open = await t.stores.incidents.openIncidents();
    assert.equal(open.length, 1);
    assert.equal(open[0]?.lastGoodAt, lastGood);
  });

  it("escalates at 20 minutes and resumes the incident after a restart", async () => {
    const stores = openMemoryStore();
    const first = setup(stores);
    await first.engine.setNodes(nodes);
    await first.engine.record([probe("a", first.at(), true), probe("b", first.at(), true)]);
    for (let i = 0; i < 3; i++) {
      first.advance(15_000);
      await first.engine.record([probe("a", first.at(), false), probe("b", first.at(), true)]);
    }
    // Restart: a new engine on the same stores.
    const second = setup(stores);
    second.advance(first.at() - T0 + 21 * MIN);
    await second.engine.load();
    await second.engine.setNodes(nodes);
    await second.engine.tick();
    assert.deepEqual(second.alerts.map((a) => a.kind), ["escalation"]);
    await second.engine.record([probe("a", second.at(), true)]);
    second.advance(15_000);
    await second.engine.record([probe("a", second.at(), true)]);
    assert.deepEqual(second.alerts.map((a) => a.kind), ["escalation", "recovered"]);
    assert.deepEqual(await stores.incidents.openIncidents(), []);
    const [inc] = await stores.incidents.list({ limit: 5 });
    assert.deepEqual(inc?.timeline.map((e) => e.kind), ["down", "escalation", "recovered"]);
  });

  it("sends one watcher-offline instead of a down alert per node when the watcher itself is cut off", async () => {
    const self = { value: false };
    const t = setup(openMemoryStore(), self);
    await t.engine.setNodes(nodes);
    await t.engine.record([probe("a", t.at(), true), probe("b", t.at(), true)]);
    for (let i = 0; i < 5; i++) {
      t.advance(15_000);
      await t.engine.record([probe("a", t.at(), false), probe("b", t.at(), false)]);
    }
    assert.deepEqual(t.alerts.map((a) => a.kind), ["watcher-offline"]);
    assert.equal(t.engine.offline, true);
    self.value = true;
    t.advance(60_000);
    await t.engine.record([probe("a", t.at(), true), probe("b", t.at(), true)]);
    assert.deepEqual(t.alerts.map((a) => a.kind), ["watcher-offline", "watcher-online"]);
    assert.equal(t.engine.state("a")?.health, "up");
  });

  it("still alerts when every node fails but the watcher's own check passes", async () => {
    const t = setup();
    await t.engine.setNodes(nodes);
    for (let i = 0; i < 3; i++) {
      t.advance(15_000);
      await t.engine.record([probe("a", t.at(), false), probe("b", t.at(), false)]);
    }
    assert.deepEqual(t.alerts.map((a) => a.kind), ["down", "down"]);
  });

  it("marks a node degraded when it lags the fleet's median height, the median refreshed at most every 10 s", async () => {
    const t = setup();
    const three: WatchedNode[] = [...nodes, { nodeId: "c", name: "sn-c", address: "198.18.0.3", instanceId: "i-c" }];
    const at = (id: string, height: number): ProbeRecord => ({ ...probe(id, t.at(), true), height });
    await t.engine.setNodes(three);
    await t.engine.record([at("a", 1000), at("b", 1000), at("c", 1000)]);
    assert.equal(t.engine.state("c")?.degraded, null);
    // The fleet moves on 20 blocks; within 10 s the yardstick is still 1000, so c (at 995) is fine.
    t.advance(5_000);
    await t.engine.record([at("a", 1020), at("b", 1020), at("c", 995)]);
    assert.equal(t.engine.state("c")?.degraded, null);
    t.advance(6_000);
    await t.engine.record([at("c", 995)]);
    assert.match(t.engine.state("c")?.degraded ?? "", /behind/);
    assert.deepEqual(t.alerts.map((a) => a.kind), ["degraded"]);
  });

  it("saves a healthy node's state only every 5 minutes, and a restart takes its probe times from the probes", async () => {
    const stores = openMemoryStore();
    const t = setup(stores);
    await t.engine.setNodes(nodes);
    let saves = 0;
    const save = stores.nodeStates.save.bind(stores.nodeStates);
    stores.nodeStates.save = async (states) => ((saves += states.length), save(states));
    for (let i = 0; i < 6; i++) {
      await t.engine.record([probe("a", t.at(), true)]);
      t.advance(MIN);
    }
    // The first probe (unknown → up) and the one 5 minutes later.
    assert.equal(saves, 2);
    const lastGood = t.at() - MIN;
    assert.equal((await stores.nodeStates.loadAll()).find((s) => s.nodeId === "a")?.lastGoodAt, lastGood);
    await t.engine.record([probe("a", t.at(), true)]);
    assert.equal(saves, 2);
    const restarted = setup(stores);
    await restarted.engine.load();
    assert.equal(restarted.engine.state("a")?.lastGoodAt, t.at());
    assert.equal(restarted.engine.state("a")?.health, "up");
    // Anything the state machine decides on is saved at once.
    await t.engine.record([probe("a", t.at() + 1, false)]);
    assert.equal(saves, 3);
  });
});

describe("the watch engine in a fleet", () => {
  const fail3 = async (t: ReturnType<typeof setup>) => {
    for (let i = 0; i < 3; i++) {
      t.advance(15_000);
      await t.engine.record([probe("a", t.at(), false), probe("b", t.at(), true)]);
    }
  };

  it("as a follower, keeps the node's state from its own probes but opens, saves and alerts nothing", async () => {
    const t = setup(openMemoryStore(), { value: true }, { leading: false, vantage: "sgp-1" });
    await t.engine.setNodes(nodes);
    await t.engine.record([probe("a", t.at(), true), probe("b", t.at(), true)]);
    await fail3(t);
    t.advance(45 * MIN);
    await t.engine.tick();
    assert.equal(t.engine.state("a")?.health, "down", "its own view drives its confirm cadence");
    assert.deepEqual(t.alerts, []);
    assert.deepEqual(await t.stores.incidents.openIncidents(), []);
    assert.deepEqual(await t.stores.nodeStates.loadAll(), []);
    const feed = await t.stores.latest.latestSince(0, 10);
    assert.deepEqual(feed.rows.map((r) => [r.nodeId, r.vantage, r.ok]).sort(), [["a", "sgp-1", false], ["b", "sgp-1", true]], "its results are stored as its vantage's");
  });

  it("as the leader, decides on the verdict, not on its own probe", async () => {
    // Its own path to a is cut, the other vantages see a up: the verdict says up.
    const t = setup(openMemoryStore(), { value: true }, { verdict: (own) => ({ ...own, ok: true, cause: null, latencyMs: 9, height: 1000, protocolVersion: 90035 }) });
    await t.engine.setNodes(nodes);
    await fail3(t);
    assert.equal(t.engine.state("a")?.health, "up");
    assert.deepEqual(t.alerts, []);
    assert.equal((await t.stores.probes.recentProbes("a", 1))[0]?.ok, false, "its own result is what it stores");
  });

  it("takes over the last leader's saved states when it leads, and acts no more once the lease is surely gone", async () => {
    const stores = openMemoryStore();
    const old = setup(stores);
    await old.engine.setNodes(nodes);
    await old.engine.record([probe("a", old.at(), true), probe("b", old.at(), true)]);
    await fail3(old);
    assert.deepEqual(old.alerts.map((a) => a.kind), ["down"]);

    let lease = true;
    const next = setup(stores, { value: true }, { leading: false, stillLeading: () => lease });
    next.advance(old.at() - next.at() + 15_000);
    await next.engine.setNodes(nodes);
    await next.engine.record([probe("a", next.at(), true), probe("b", next.at(), true)]);
    assert.equal(next.engine.state("a")?.health, "up", "a follower's own view");
    await next.engine.lead();
    assert.equal(next.engine.state("a")?.health, "down", "the leader's saved state");
    next.advance(20 * MIN);
    await next.engine.tick();
    assert.deepEqual(next.alerts.map((a) => a.kind), ["escalation"], "the incident goes on: no second down alert");
    lease = false;
    next.advance(20 * MIN);
    await next.engine.tick();
    for (let i = 0; i < 2; i++) {
      next.advance(15_000);
      await next.engine.record([probe("a", next.at(), true), probe("b", next.at(), true)]);
    }
    assert.deepEqual(next.alerts.map((a) => a.kind), ["escalation"], "no escalation or recovery once the lease lapsed");
  });
});
