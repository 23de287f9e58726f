import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import type { MonotonicClock } from "../core/clock.ts";
import { createLogger } from "../core/logger.ts";
import { Redactor } from "../core/redact.ts";
import { openMemoryStore } from "../store/index.ts";
import { WatchEngine, type WatchedNode } from "./engine.ts";
import { startWatchHttp } from "./http.ts";
import { MAX_NODE_LABEL, watchMetrics } from "./metrics.ts";
import { SMARTCASH_EXPIRY } from "./reward-clock.ts";
import type { NetviewRecord } from "../netview/ports.ts";
import type { NetworkView } from "./network-watch.ts";

const NAMES = {
  osc: "evil\u001b]0;PWNED\u0007\u001b[2J\u001b[31mRED",
  crlf: 'crlf\r\nnodeward_node_up{node="forged"} 1',
  bidi: "bidi\u202egnp.exe\u2066x\u2069",
  nul: "nul\u0000byte\u007f\u009b31m",
  quote: 'q"uo\\te',
  big: `big-${"A".repeat(10_240)}`,
  fine: "узел-1 🚀 東京 مرحبا",
} as const;

/** Label values of one metric, unescaped as a Prometheus parser does (\\, \" and \n). */
function labelValues(body: string, metric: string): string[] {
  const line = new RegExp(`^${metric}\\{node="((?:[^"\\\\]|\\\\.)*)"\\} \\S+$`);
  return body.split("\n").flatMap((l) => {
    const m = line.exec(l);
    return m ? [m[1]!.replace(/\\(.)/g, (_x, c: string) => (c === "n" ? "\n" : c))] : [];
  });
}

describe("/metrics with hostile node names", () => {
  it("gives every node one series whose label value is one bounded line without a control character", async () => {
    const now = Date.UTC(2026, 10, 26, 3, 0, 0);
    const clock: MonotonicClock = { now: () => now, monotonic: () => now, sleep: async () => {} };
    const engine = new WatchEngine({
      clock,
      thresholds: { failuresToDown: 3, successesToUp: 2, escalateAfterMinutes: [20, 40], maxHeightLag: 10, minProtocolVersion: 90034 },
      expiry: SMARTCASH_EXPIRY,
      ...openMemoryStore(),
      alerts: { enqueue: async (es) => es.length },
      selfCheck: async () => true,
      log: createLogger({ level: "error", pretty: false, redactor: new Redactor(), out: new Writable({ write: (_c, _e, cb) => cb() }) }),
    });
    const nodes: WatchedNode[] = Object.values(NAMES).map((name, i) => ({ nodeId: `n${i}`, name, address: `198.18.0.${i + 1}` }));
    await engine.setNodes(nodes);
    await engine.record(nodes.map((n) => ({ nodeId: n.nodeId, at: now, ok: true, cause: null, latencyMs: 4, height: 1000, protocolVersion: 90035 })));
    const registry = watchMetrics({ engine, scheduler: () => ({ probes: 7, missed: 0, inFlight: 0, maxLateMs: 0 }), outboxDepth: async () => 0, expiry: SMARTCASH_EXPIRY, now: () => now });
    const http = await startWatchHttp("127.0.0.1", 0, { metrics: registry, health: () => ({ ok: true, body: {} }) });
    try {
      const res = await fetch(`${http.url}/metrics`);
      assert.equal(res.status, 200);
      const body = await res.text();
      // eslint-disable-next-line no-control-regex -- finding controls is the test
      const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.exec(body);
      assert.ok(raw === null, `raw U+${raw?.[0].codePointAt(0)?.toString(16).padStart(4, "0")} in /metrics`);
      assert.equal(body.includes('node_up{node="forged"}'), false, "a name cannot forge a series");

      const values = labelValues(body, "nodeward_node_up");
      assert.equal(values.length, nodes.length, "one series per node");
      for (const v of values) {
        assert.equal(v.includes("\n"), false, "one line");
        assert.ok([...v].length <= MAX_NODE_LABEL, `at most ${MAX_NODE_LABEL} characters, got ${[...v].length}`);
      }
      assert.ok(values.includes(String.raw`evil\e]0;PWNED\a\e[2J\e[31mRED`), "controls shown as in the terminal");
      assert.ok(values.includes(String.raw`crlf\r\nnodeward_node_up{node="forged"} 1`));
      assert.ok(values.includes('q"uo\\te'), "quotes and backslashes survive prom-client's escaping");
      assert.ok(values.includes(NAMES.fine), "non-Latin names are kept");
      assert.ok(values.some((v) => v.startsWith("big-AAAA") && /…\(\+\d+ more\)$/.test(v)), "a 10 KB name is clipped, saying so");
    } finally {
      await http.close();
    }
  });
});

describe("/metrics: the network's view", () => {
  it("shows each asked node's network state, ping age, minutes to EXPIRED counted at scrape time, and peers that answered", async () => {
    const now = Date.UTC(2026, 10, 26, 3, 0, 0);
    const engine = newEngine(now);
    await engine.setNodes([
      { nodeId: "a", name: "sn-a", address: "198.18.0.1" },
      { nodeId: "b", name: NAMES.crlf, address: "198.18.0.2" },
      { nodeId: "c", name: "sn-c (not asked)", address: "198.18.0.3" },
      { nodeId: "d", name: "sn-d", address: "198.18.0.4" },
    ]);
    const rec = (nodeId: string, over: Partial<NetviewRecord>): NetviewRecord => ({
      nodeId, outpoint: `${"ab".repeat(32)}-0`, state: "ENABLED", lastPingAt: null, minutesToExpired: null, askedAt: now - 60_000, condition: "ok", conditionSince: now - 3_600_000, detail: "{}", ...over,
    });
    const views = new Map<string, NetworkView>([
      ["a", { record: rec("a", { state: "ENABLED", lastPingAt: now - 12 * 60_000 - 30_000, minutesToExpired: 53 }), peersAnswered: 3 }],
      ["b", { record: rec("b", { state: "EXPIRED", lastPingAt: now - 70 * 60_000, minutesToExpired: 0, condition: "expired" }), peersAnswered: 2 }],
      ["d", { record: rec("d", { state: "UNKNOWN", condition: "unknown" }), peersAnswered: 0 }],
      ["gone", { record: rec("gone", { state: "ENABLED", lastPingAt: now }), peersAnswered: 1 }],
    ]);
    const registry = watchMetrics({ engine, scheduler: () => ({ probes: 0, missed: 0, inFlight: 0, maxLateMs: 0 }), outboxDepth: async () => 0, expiry: SMARTCASH_EXPIRY, now: () => now, network: () => views });
    const body = await registry.metrics();
    const lines = (metric: string) => body.split("\n").filter((l) => l.startsWith(`${metric}{`)).sort();
    const b = String.raw`crlf\\r\\nnodeward_node_up{node=\"forged\"} 1`;
    assert.deepEqual(lines("nodeward_network_state"), [
      `nodeward_network_state{node="${b}",state="EXPIRED"} 1`,
      'nodeward_network_state{node="sn-a",state="ENABLED"} 1',
      'nodeward_network_state{node="sn-d",state="UNKNOWN"} 1',
    ]);
    assert.deepEqual(lines("nodeward_network_last_ping_age_seconds"), [`nodeward_network_last_ping_age_seconds{node="${b}"} 4200`, 'nodeward_network_last_ping_age_seconds{node="sn-a"} 750']);
    // Counted now from the ping (65 min after it), not the 53 the verdict said a minute ago.
    assert.deepEqual(lines("nodeward_network_minutes_to_expired"), [`nodeward_network_minutes_to_expired{node="${b}"} 0`, 'nodeward_network_minutes_to_expired{node="sn-a"} 52']);
    assert.deepEqual(lines("nodeward_network_peers_answered"), [`nodeward_network_peers_answered{node="${b}"} 2`, 'nodeward_network_peers_answered{node="sn-a"} 3', 'nodeward_network_peers_answered{node="sn-d"} 0']);
    assert.equal(body.includes("not asked"), false, "a node nobody asked about has no network series");
  });

  it("has no network series when the watcher does not ask the network", async () => {
    const engine = newEngine(0);
    await engine.setNodes([{ nodeId: "a", name: "sn-a", address: "198.18.0.1" }]);
    const body = await watchMetrics({ engine, scheduler: () => ({ probes: 0, missed: 0, inFlight: 0, maxLateMs: 0 }), outboxDepth: async () => 0, expiry: SMARTCASH_EXPIRY, now: () => 0 }).metrics();
    assert.equal(body.includes("nodeward_network_"), false);
  });
});

function newEngine(now: number): WatchEngine {
  const clock: MonotonicClock = { now: () => now, monotonic: () => now, sleep: async () => {} };
  return new WatchEngine({
    clock,
    thresholds: { failuresToDown: 3, successesToUp: 2, escalateAfterMinutes: [20, 40], maxHeightLag: 10, minProtocolVersion: 90034 },
    expiry: SMARTCASH_EXPIRY,
    ...openMemoryStore(),
    alerts: { enqueue: async (es) => es.length },
    selfCheck: async () => true,
    log: createLogger({ level: "error", pretty: false, redactor: new Redactor(), out: new Writable({ write: (_c, _e, cb) => cb() }) }),
  });
}
