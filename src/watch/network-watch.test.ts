import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import type { AlertEvent } from "../alerts/event.ts";
import { dedupeKey } from "../alerts/event.ts";
import type { MonotonicClock } from "../core/clock.ts";
import { createLogger } from "../core/logger.ts";
import { Redactor } from "../core/redact.ts";
import type { SmartnodeEntry } from "../netview/config.ts";
import type { SmartnodeAnnounce } from "../netview/codec.ts";
import type { NetworkVerdict, PeerView, VerdictState } from "../netview/model.ts";
import type { NetviewStore, NetviewTarget, Survey, SurveyOptions } from "../netview/ports.ts";
import { openMemoryStore } from "../store/index.ts";
import { WatchEngine, type WatchedNode } from "./engine.ts";
import { NetworkWatch } from "./network-watch.ts";
import { SMARTCASH_EXPIRY } from "./reward-clock.ts";

/**
 * The poller against the real engine and the real in-memory store. The Survey is the one seam
 * faked here: the real one (netview/survey.ts) asks peers over TCP and is tested against loopback
 * peers in its own tests; here the question is what the watcher does with the verdicts, so each
 * test hands it the verdicts it needs (every state, peers that fail) without a network.
 */

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 1, 12, 0);
const TX = (c: string) => c.repeat(64);
const NODES: WatchedNode[] = [
  { nodeId: "i-a", name: "sn-a", address: "203.0.113.5", instanceId: "i-a" },
  { nodeId: "i-b", name: "sn-b", address: "203.0.113.6", instanceId: "i-b" },
  { nodeId: "host:c", name: "c", address: "203.0.113.7" },
];
const SMARTNODES: SmartnodeEntry[] = [
  { alias: "mn-a", address: "203.0.113.5:9678", txid: TX("a"), index: 0 },
  { alias: "mn-b", address: "203.0.113.6:9678", txid: TX("b"), index: 1 },
  { alias: "mn-gone", address: "203.0.113.99:9678", txid: TX("c"), index: 0 },
];

/** What two peers say: both list the node in a Core-Smart state, or neither does, or none answers. */
function verdict(state: VerdictState, pingAgeMin: number | null, at: number): NetworkVerdict {
  const lastPingAt = pingAgeMin === null ? null : at - pingAgeMin * MIN;
  const peers = ["198.51.100.1:9678", "203.0.113.7:9678"];
  const answer = (): PeerView =>
    state === "UNKNOWN" ? { peer: "", answer: { kind: "unreachable", detail: "connect ETIMEDOUT" } }
      : state === "UNLISTED" ? { peer: "", answer: { kind: "unlisted" } }
        : { peer: "", answer: { kind: "listed", announce: announce(lastPingAt), ping: null }, state, lastPingAt };
  return {
    outpoint: "",
    state,
    lastPingAt,
    minutesToExpired: lastPingAt === null ? null : Math.max(0, 65 - (pingAgeMin ?? 0)),
    disagreement: false,
    problems: [],
    peers: peers.map((peer) => ({ ...answer(), peer })),
    askedAt: at,
  };
}

function announce(lastPingAt: number | null): SmartnodeAnnounce {
  const key = new Uint8Array(33).fill(2);
  return {
    outpoint: { txid: TX("b"), index: 1 }, scriptSig: new Uint8Array(0), sequence: 0xffffffff, addr: { ip: "203.0.113.6", port: 9678 },
    collateralPubKey: key, smartnodePubKey: key, signature: new Uint8Array(65), sigTime: Math.floor(T0 / 1000) - 86_400, protocolVersion: 90034,
    lastPing: lastPingAt === null ? null : { outpoint: { txid: TX("b"), index: 1 }, blockHash: "0".repeat(64), sigTime: Math.floor(lastPingAt / 1000), signature: new Uint8Array(65) },
  };
}

/** A survey that answers what `plan` says for each node, and records what it was asked. */
function fakeSurvey(plan: (target: NetviewTarget, at: number) => NetworkVerdict, now: () => number) {
  const calls: { targets: NetviewTarget[]; opts: SurveyOptions }[] = [];
  const survey: Survey = async (targets, opts) => {
    calls.push({ targets: [...targets], opts });
    return targets.map((t) => ({ nodeId: t.nodeId, verdict: { ...plan(t, now()), outpoint: `${t.outpoint.txid}-${t.outpoint.index}` } }));
  };
  return { survey, calls };
}

async function world(opts: { store?: NetviewStore } = {}) {
  let now = T0;
  const clock: MonotonicClock = { now: () => now, monotonic: () => now, sleep: async () => {} };
  const mem = openMemoryStore();
  const lines: string[] = [];
  const log = createLogger({ level: "debug", pretty: false, redactor: new Redactor(), out: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
  const engine = new WatchEngine({
    clock,
    thresholds: { failuresToDown: 3, successesToUp: 2, escalateAfterMinutes: [20, 40], maxHeightLag: 10, minProtocolVersion: 90034 },
    expiry: SMARTCASH_EXPIRY,
    ...mem,
    alerts: { enqueue: async (es) => es.length },
    selfCheck: async () => true,
    log,
  });
  await engine.setNodes(NODES);
  const probe = async (ok: Record<string, boolean>) => {
    await engine.record(Object.entries(ok).map(([nodeId, good]) => ({ nodeId, at: now, ok: good, cause: good ? null : "p2p timeout", latencyMs: good ? 5 : null, height: good ? 1000 : null, protocolVersion: good ? 90034 : null })));
  };
  await probe({ "i-a": true, "i-b": true, "host:c": true });
  const store = opts.store ?? mem.netview;
  const sent: AlertEvent[] = [];
  /** What the store held when each batch of alerts was queued. */
  const storedAtEnqueue: string[][] = [];
  const alerts = {
    enqueue: async (es: readonly AlertEvent[]) => {
      storedAtEnqueue.push((await store.latestNetview()).map((r) => `${r.nodeId}:${r.condition}`));
      sent.push(...es);
      return es.length;
    },
  };
  const make = (survey: Survey) =>
    new NetworkWatch({
      engine, smartnodes: SMARTNODES, netview: { peers: ["198.51.100.1:9678", "[2001:db8::1]:9678"], peersPerNode: 3, timeoutSeconds: 15, unseenAfterMinutes: 45 },
      p2pPort: 9678, expiry: SMARTCASH_EXPIRY, survey, store, alerts, clock, log,
    });
  return { engine, store, sent, storedAtEnqueue, lines, probe, make, clock, advance: (ms: number) => (now += ms), now: () => now };
}

const signal = new AbortController().signal;
const conditions = async (store: NetviewStore) => Object.fromEntries((await store.latestNetview()).map((r) => [r.nodeId, `${r.state}/${r.condition}@${(r.conditionSince - T0) / MIN}`]));

describe("NetworkWatch", () => {
  it("asks about the watched nodes with a collateral, matched by IP, with the fleet's answering nodes and the configured peers", async () => {
    const w = await world();
    const { survey, calls } = fakeSurvey(() => verdict("ENABLED", 5, w.now()), w.now);
    await w.make(survey).run(signal);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]!.targets, [
      { nodeId: "i-a", alias: "mn-a", outpoint: { txid: TX("a"), index: 0 }, expected: { ips: ["203.0.113.5"], port: 9678 } },
      { nodeId: "i-b", alias: "mn-b", outpoint: { txid: TX("b"), index: 1 }, expected: { ips: ["203.0.113.6"], port: 9678 } },
    ]);
    const { peers, fleetPeers, peersPerNode, timeoutMs } = calls[0]!.opts;
    assert.deepEqual({ peers, fleetPeers, peersPerNode, timeoutMs }, {
      peers: [{ host: "198.51.100.1", port: 9678 }, { host: "2001:db8::1", port: 9678 }],
      fleetPeers: NODES.map((n) => ({ host: n.address, port: 9678 })),
      peersPerNode: 3,
      timeoutMs: 15_000,
    });
    assert.deepEqual(await conditions(w.store), { "i-a": "ENABLED/ok@0", "i-b": "ENABLED/ok@0" });
    assert.deepEqual(w.sent, []);
    assert.ok(w.lines.some((l) => l.includes("mn-gone") && l.includes("no watched node")), "the unmatched entry is logged");
  });

  it("leaves a node that stopped answering the handshake out of the fleet's peers", async () => {
    const w = await world();
    await w.probe({ "host:c": false });
    const { survey, calls } = fakeSurvey(() => verdict("ENABLED", 5, w.now()), w.now);
    await w.make(survey).run(signal);
    assert.deepEqual(calls[0]!.opts.fleetPeers.map((p) => p.host), ["203.0.113.5", "203.0.113.6"]);
  });

  it("alerts unseen-by-network once, queued before the record is saved, then network-ok when the ping is fresh again", async () => {
    const w = await world();
    let bState: [VerdictState, number | null] = ["ENABLED", 5];
    const { survey } = fakeSurvey((t, at) => (t.nodeId === "i-b" ? verdict(bState[0], bState[1], at) : verdict("ENABLED", 5, at)), w.now);
    const nw = w.make(survey);
    await nw.run(signal);
    w.advance(5 * MIN);
    bState = ["UNLISTED", null];
    await nw.run(signal);
    assert.deepEqual(w.sent.map((e) => `${e.kind} ${"node" in e ? e.node.name : ""}`), ["unseen-by-network sn-b"]);
    assert.deepEqual(w.storedAtEnqueue, [["i-a:ok", "i-b:ok"]], "the alert was queued while the store still held the old record");
    assert.deepEqual(await conditions(w.store), { "i-a": "ENABLED/ok@0", "i-b": "UNLISTED/unseen@5" });

    w.advance(5 * MIN);
    await nw.run(signal);
    assert.equal(w.sent.length, 1, "no repeat while the condition holds");

    w.advance(5 * MIN);
    bState = ["PRE_ENABLED", 1];
    await nw.run(signal);
    const ok = w.sent[1]!;
    assert.ok(ok.kind === "network-ok" && ok.cleared === "unseen-by-network" && ok.since === T0 + 5 * MIN && ok.alias === "mn-b");
    assert.equal(nw.views().get("i-b")?.record.condition, "ok");
    assert.equal(nw.views().get("i-b")?.peersAnswered, 2);
  });

  it("does not repeat an alert after a restart: the new watcher reads the condition back from the store", async () => {
    const w = await world();
    const { survey } = fakeSurvey((t, at) => (t.nodeId === "i-b" ? verdict("EXPIRED", 70, at) : verdict("ENABLED", 5, at)), w.now);
    await w.make(survey).run(signal);
    assert.deepEqual(w.sent.map((e) => e.kind), ["network-expired"]);
    w.advance(5 * MIN);
    const restarted = w.make(survey);
    await restarted.run(signal);
    assert.deepEqual(w.sent.map((e) => e.kind), ["network-expired"]);
    assert.equal((await conditions(w.store))["i-b"], "EXPIRED/expired@-5");
  });

  it("says nothing of a node nodeward does not reach while the network does not list it: its down alerts speak", async () => {
    const w = await world();
    await w.probe({ "i-b": false });
    const { survey } = fakeSurvey((t, at) => (t.nodeId === "i-b" ? verdict("UNLISTED", null, at) : verdict("ENABLED", 5, at)), w.now);
    await w.make(survey).run(signal);
    assert.deepEqual(w.sent, []);
    assert.equal((await conditions(w.store))["i-b"], "UNLISTED/unknown@0");
  });

  it("no peer answered: nothing alerted, the previous condition kept", async () => {
    const w = await world();
    let unknown = false;
    const { survey } = fakeSurvey((t, at) => (unknown ? verdict("UNKNOWN", null, at) : t.nodeId === "i-b" ? verdict("NEW_START_REQUIRED", 130, at) : verdict("ENABLED", 5, at)), w.now);
    const nw = w.make(survey);
    await nw.run(signal);
    unknown = true;
    w.advance(5 * MIN);
    await nw.run(signal);
    assert.deepEqual(w.sent.map((e) => e.kind), ["network-new-start-required"]);
    assert.deepEqual(await conditions(w.store), { "i-a": "UNKNOWN/ok@0", "i-b": "UNKNOWN/new-start@-10" });
    assert.equal(nw.views().get("i-a")?.peersAnswered, 0);
    // Not silent: with no answer about any node, the log says so at the error level.
    assert.ok(w.lines.some((l) => /"level":"error"/.test(l) && /no peer (to ask|answered)/.test(l)), w.lines.join(""));
  });

  it("a survey that throws ends the round quietly: nothing saved, logged, tried again next time", async () => {
    const w = await world();
    const nw = w.make(async () => {
      throw new Error("EMFILE: too many open files");
    });
    await nw.run(signal);
    assert.deepEqual(await w.store.latestNetview(), []);
    assert.ok(w.lines.some((l) => l.includes("EMFILE") && l.includes("could not be asked")));
  });

  it("drops the rows of nodes no longer watched", async () => {
    const w = await world();
    const { survey } = fakeSurvey(() => verdict("ENABLED", 5, w.now()), w.now);
    const nw = w.make(survey);
    await nw.run(signal);
    await w.engine.setNodes(NODES.filter((n) => n.nodeId !== "i-b"));
    w.advance(5 * MIN);
    await nw.run(signal);
    assert.deepEqual(Object.keys(await conditions(w.store)), ["i-a"]);
    assert.deepEqual([...nw.views().keys()], ["i-a"]);
  });

  it("a store that refuses the save: the alert still goes out once, the condition is held in memory and saved at the next round", async () => {
    const real = openMemoryStore().netview;
    let failing = true;
    const flaky: NetviewStore = {
      saveNetview: async (rs) => {
        if (failing) throw new Error("SQLITE_FULL: database or disk is full");
        return real.saveNetview(rs);
      },
      latestNetview: () => real.latestNetview(),
      pruneNetview: (keep) => real.pruneNetview(keep),
    };
    const w = await world({ store: flaky });
    const { survey } = fakeSurvey((t, at) => (t.nodeId === "i-b" ? verdict("EXPIRED", 70, at) : verdict("ENABLED", 5, at)), w.now);
    const nw = w.make(survey);
    await nw.run(signal);
    assert.deepEqual(w.sent.map((e) => e.kind), ["network-expired"]);
    assert.deepEqual(await real.latestNetview(), []);
    assert.ok(w.lines.some((l) => l.includes("SQLITE_FULL")));
    failing = false;
    w.advance(5 * MIN);
    await nw.run(signal);
    assert.deepEqual(w.sent.map((e) => e.kind), ["network-expired"], "not alerted again");
    assert.equal((await conditions(real))["i-b"], "EXPIRED/expired@-5");
  });

  it("a leader killed after queueing, before saving: the next leader derives the same alert with the same key", async () => {
    const shared = openMemoryStore().netview;
    const killedBeforeSave: NetviewStore = { ...shared, saveNetview: async () => Promise.reject(new Error("killed")) };
    const plan = (t: NetviewTarget, at: number) => (t.nodeId === "i-b" ? verdict("EXPIRED", 70 + (at - T0) / MIN, at) : verdict("ENABLED", 5, at));
    const first = await world({ store: killedBeforeSave });
    await first.make(fakeSurvey(plan, first.now).survey).run(signal);
    const next = await world({ store: shared });
    next.advance(2 * MIN);
    await next.make(fakeSurvey(plan, next.now).survey).run(signal);
    assert.deepEqual([first.sent.map((e) => e.kind), next.sent.map((e) => e.kind)], [["network-expired"], ["network-expired"]]);
    assert.equal(dedupeKey(next.sent[0]!), dedupeKey(first.sent[0]!), "the outbox sends it once");
  });
});
