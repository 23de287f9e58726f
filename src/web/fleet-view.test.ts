import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { openMemoryStore } from "../store/memory/open.ts";
import { minutes, netviewRecord, nodeState, T0, MINUTE, HOUR } from "../store/contracts/samples.ts";
import type { NetviewDetail } from "../netview/detail.ts";
import { SMARTCASH_EXPIRY } from "../watch/reward-clock.ts";
import type { ProbeRecord } from "../watch/model.ts";
import { fleetPage, fleetRows, nodeDetail, recentIncidents, type ReadModelDeps } from "./fleet-view.ts";

const DAY = 24 * HOUR;
const NOW = T0 + 40 * DAY;

async function setup() {
  const stores = openMemoryStore();
  // n1: up the whole last day; 10 days ago down half an hour (rolled up); n2: down since 20 min.
  await stores.probes.appendProbes(minutes("n1", NOW - 10 * DAY, 60, (i) => i < 30));
  await stores.probes.compact(NOW - 7 * DAY, 0);
  await stores.probes.appendProbes(minutes("n1", NOW - DAY, 24 * 60));
  await stores.probes.appendProbes(minutes("n2", NOW - DAY, 24 * 60, (i) => i >= 24 * 60 - 20));
  const latest: ProbeRecord[] = [
    { nodeId: "n1", at: NOW - MINUTE, ok: true, cause: null, latencyMs: 42, height: 3_000_010, protocolVersion: 90034 },
    { nodeId: "n2", at: NOW - MINUTE, ok: false, cause: "p2p timeout", latencyMs: null, height: null, protocolVersion: null },
    { nodeId: "n3", at: NOW - MINUTE, ok: true, cause: null, latencyMs: 50, height: 2_999_990, protocolVersion: 90034 },
  ];
  const states = [
    nodeState("n1", { health: "up", degraded: null, failingSince: null, incident: null, lastGoodAt: NOW - MINUTE }),
    nodeState("n2", { health: "down", degraded: null, lastGoodAt: NOW - 21 * MINUTE, incident: { id: "i1", startedAt: NOW - 20 * MINUTE, cause: "p2p timeout", escalated: [] } }),
    nodeState("n3", { health: "up", degraded: "20 blocks behind", incident: null, lastGoodAt: NOW - MINUTE }),
  ];
  const nodes = [{ nodeId: "n2", name: "sn-2", address: "203.0.113.2", instanceId: "n2" }, { nodeId: "n1", name: "sn-1", address: "203.0.113.1", instanceId: "n1" }, { nodeId: "n3", name: "sn-3", address: "203.0.113.3", instanceId: "n3" }];
  const d: ReadModelDeps = {
    fleet: { nodes: () => nodes, state: (id) => states.find((s) => s.nodeId === id), latest: (id) => latest.find((p) => p.nodeId === id) },
    ...stores,
    expiry: SMARTCASH_EXPIRY,
    now: () => NOW,
  };
  return { d, stores };
}

describe("the dashboard's read model", () => {
  it("gives each node its state, uptime over 24 h / 7 d / 30 d from raw and hourly rows, height lag and expiry countdown", async () => {
    const { d } = await setup();
    const rows = await fleetRows(d);
    assert.deepEqual(rows.map((r) => r.name), ["sn-1", "sn-2", "sn-3"]);
    const [n1, n2, n3] = rows as [typeof rows[0], typeof rows[0], typeof rows[0]];
    assert.deepEqual(n1.uptime, { d1: 1, d7: 1, d30: (24 * 60 + 30) / (24 * 60 + 60) });
    assert.equal(n1.latencyMs, 42);
    assert.equal(n1.lag, 0);
    assert.equal(n3.lag, 20, "median of good heights is 3,000,010");
    assert.equal(n3.degraded, "20 blocks behind");
    assert.equal(n1.minutesToExpired, null);
    assert.equal(n2.minutesToExpired, 44, "65 min after the last good probe 21 min ago");
    assert.equal(n2.uptime.d1, (24 * 60 - 20) / (24 * 60));
    assert.equal(n2.latencyMs, null);
    assert.equal(n1.firewall, "not checked");
    const host = await fleetRows({ ...d, fleet: { ...d.fleet, nodes: () => [{ nodeId: "host:home", name: "home", address: "198.51.100.1" }] } });
    assert.equal(host[0]?.firewall, "not at the provider", "a static host has no cloud firewall to check");
  });

  it("shows each watcher's view of a node in a fleet, by watcher name, and none for a single watcher", async () => {
    const { d } = await setup();
    assert.deepEqual((await fleetRows(d))[0]?.vantages, []);
    const seen = [
      { vantage: "sgp-1", ok: false, at: NOW - MINUTE, cause: "p2p timeout", fresh: true },
      { vantage: "fra-1", ok: true, at: NOW - 10 * MINUTE, cause: null, fresh: false },
    ];
    const page = await nodeDetail({ ...d, seenFrom: (id) => (id === "n2" ? seen : []) }, "n2");
    assert.deepEqual(page?.row.vantages.map((v) => `${v.vantage} ${v.ok ? "ok" : v.cause} ${v.fresh ? "fresh" : "old"}`), ["fra-1 ok old", "sgp-1 p2p timeout fresh"]);
  });

  it("pages the fleet with the nodes that need attention first, counting states over the whole fleet", async () => {
    const { d } = await setup();
    const asked: string[] = [];
    const probes = { ...d.probes, uptime: (id: string, since: number, until: number) => (asked.push(id), d.probes.uptime(id, since, until)) };
    const first = await fleetPage({ ...d, probes }, 1, 2);
    assert.deepEqual(first.rows.map((r) => r.name), ["sn-2", "sn-3"], "down, then degraded, then healthy");
    assert.deepEqual([first.total, first.page, first.pages], [3, 1, 2]);
    assert.deepEqual(first.counts, { up: 2, suspect: 0, down: 1, recovering: 0, unknown: 0, degraded: 1 });
    assert.deepEqual([...new Set(asked)].sort(), ["n2", "n3"], "only the page's nodes are read from the store");
    const second = await fleetPage(d, 2, 2);
    assert.deepEqual(second.rows.map((r) => r.name), ["sn-1"]);
    assert.equal(second.rows[0]?.lag, 0, "the median height is the whole fleet's");
    assert.equal((await fleetPage(d, 99, 2)).page, 2);
    assert.equal((await fleetPage(d, Number.NaN, 2)).page, 1);
  });

  it("shows the last drift check's verdict when one is known", async () => {
    const { d } = await setup();
    const rows = await fleetRows({ ...d, firewallCompliance: (id) => (id === "n1" ? { compliant: false, detail: "group lacks 8080", checkedAt: NOW } : { compliant: true, detail: "", checkedAt: NOW }) });
    assert.deepEqual(rows.map((r) => r.firewall), ["drift: group lacks 8080", "compliant", "compliant"]);
  });

  it("gives each node the network's view from the watcher's rows: minutes counted now, stale rows, the alias, unreadable detail", async () => {
    const { d, stores } = await setup();
    const detail: NetviewDetail = { peers: [{ peer: "198.51.100.4:9678", answer: "listed", state: "ENABLED", lastPingAt: NOW - 7 * MINUTE }], problems: ["p1"], disagreement: false, announced: { addr: "203.0.113.1:9678", protocolVersion: 90034, at: NOW - DAY } };
    await stores.netview.saveNetview([
      netviewRecord("n1", { outpoint: `${"11".repeat(32)}-0`, askedAt: NOW - 12 * MINUTE, lastPingAt: NOW - 17 * MINUTE, minutesToExpired: 58, detail: JSON.stringify(detail) }),
      netviewRecord("n2", { state: "EXPIRED", condition: "expired", askedAt: NOW - 16 * MINUTE, lastPingAt: NOW - 80 * MINUTE, minutesToExpired: 0, detail: "{" }),
    ]);
    const network = { latest: () => stores.netview.latestNetview(), intervalSeconds: 300, aliasOf: (o: string) => (o.startsWith("11") ? "mn-1" : undefined) };
    const page = await fleetPage({ ...d, network });
    assert.equal(page.network, true);
    assert.equal(page.networkProblem, null);
    const by = new Map(page.rows.map((r) => [r.id, r.network]));
    assert.deepEqual([by.get("n1")?.state, by.get("n1")?.minutesToExpired, by.get("n1")?.stale, by.get("n1")?.alias, by.get("n1")?.detail?.problems], ["ENABLED", 48, false, "mn-1", ["p1"]], "48: counted now from the ping, not the stored 58");
    assert.deepEqual([by.get("n2")?.state, by.get("n2")?.minutesToExpired, by.get("n2")?.stale, by.get("n2")?.alias, by.get("n2")?.detail], ["EXPIRED", 0, true, null, null]);
    assert.equal(by.get("n3"), null, "no row: nothing asked");
    assert.equal((await nodeDetail({ ...d, network }, "n1"))?.row.network?.alias, "mn-1");

    const none = await fleetPage(d);
    assert.equal(none.network, false);
    assert.ok(none.rows.every((r) => r.network === null));

    const broken = { ...network, latest: () => Promise.reject(new Error("the stored network view of \"n9\" is damaged")) };
    const failed = await fleetPage({ ...d, network: broken });
    assert.match(failed.networkProblem ?? "", /cannot be read: the stored network view of "n9" is damaged/);
    assert.ok(failed.rows.every((r) => r.network === null), "the page still shows");
    assert.match((await nodeDetail({ ...d, network: broken }, "n1"))?.networkProblem ?? "", /cannot be read/);
  });

  it("gives a node's charts 24 h of 10-minute buckets and 30 days of 6-hour buckets", async () => {
    const { d } = await setup();
    const detail = (await nodeDetail(d, "n2"))!;
    assert.equal(detail.latency24h.length, 144);
    assert.equal(detail.uptime30d.length, 120);
    const last = detail.uptime24h[detail.uptime24h.length - 1]!;
    assert.deepEqual([last.up, last.total], [0, 10]);
    assert.equal(detail.recent.length, 20);
    assert.equal(await nodeDetail(d, "ghost"), null);
  });

  it("tells an incident's story: its events and the alerts delivered for it, in time order", async () => {
    const { d, stores } = await setup();
    await stores.incidents.open({ id: "i1", nodeId: "n2", startedAt: NOW - 20 * MINUTE, lastGoodAt: NOW - 21 * MINUTE, cause: "p2p timeout" }, { at: NOW - 20 * MINUTE, kind: "down", detail: "p2p timeout" });
    await stores.incidents.append("i1", { at: NOW - 10 * MINUTE, kind: "remediation", detail: "reboot requested" });
    const ev = { kind: "down" as const, at: NOW - 20 * MINUTE, node: { id: "n2", name: "sn-2", address: "203.0.113.2" }, incidentId: "i1", since: NOW - 20 * MINUTE, cause: "p2p timeout", clock: { lastGoodAt: null, expiresAt: null, newStartAt: null } };
    await stores.outbox.enqueue([{ dedupeKey: "i1:down", channel: "ops", event: ev }], NOW - 20 * MINUTE);
    const [item] = await stores.outbox.due(NOW, 10);
    await stores.outbox.markSent(item!.id, NOW - 19 * MINUTE);
    const [view] = await recentIncidents(d);
    assert.equal(view?.nodeName, "sn-2");
    assert.deepEqual(view?.entries.map((e) => [e.at - NOW, e.what, e.detail]), [
      [-20 * MINUTE, "down", "p2p timeout"],
      [-19 * MINUTE, "alert sent", "down → ops"],
      [-10 * MINUTE, "reboot requested", "reboot requested"],
    ]);
  });
});
