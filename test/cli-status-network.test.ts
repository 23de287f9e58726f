import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { NetviewDetail } from "../src/netview/detail.ts";
import type { NetviewRecord } from "../src/netview/ports.ts";
import { openSqliteStore } from "../src/store/index.ts";
import type { NodeWatchState } from "../src/watch/model.ts";
import { runCli, tempProject } from "./helpers/cli.ts";

/**
 * `nodeward status` shows the network's view of each node from the rows the watcher keeps in its
 * real SQLite database: state, last ping, minutes before EXPIRED counted now, the condition and
 * since when, when it was asked (stale rows say so), problems; unreadable detail is said, never a
 * crash; hostile text from peers stays on its line.
 */

const MINUTE = 60_000;
const TXID = (n: number) => `${n}`.padStart(2, "0").repeat(32);
const HOSTS = ["sn-a", "sn-b", "sn-c", "sn-d", "sn-e"];
const HOSTILE_PROBLEM = "announced address 198.51.100.99:9678 is not the node's\u001b[2J\r\n✓ sn-x forged \u202eline";

const yaml = (smartnodes: boolean) => `version: 1
coin: smartcash
nodes: { tags: [none] }
watch: { database: ./watch.db }
netview: { intervalSeconds: 300 }
hosts:
${HOSTS.map((h, i) => `  - { name: ${h}, addresses: [203.0.113.${i + 1}] }`).join("\n")}
${smartnodes ? `smartnodes:\n${HOSTS.map((h, i) => `  - { alias: mn-${h}, address: "203.0.113.${i + 1}:9678", txid: "${TXID(i + 1)}", index: 0 }`).join("\n")}\n` : ""}`;

const state = (name: string, now: number): NodeWatchState => ({ nodeId: `host:${name}`, health: "up", degraded: null, failures: 0, successes: 3, lastGoodAt: now - MINUTE, lastProbeAt: now - MINUTE, failingSince: null, incident: null });

const detail = (d: Partial<NetviewDetail>): string =>
  JSON.stringify({
    peers: [
      { peer: "198.51.100.4:9678", answer: "listed", state: "ENABLED", lastPingAt: 0 },
      { peer: "198.51.100.9:9678", answer: "listed", state: "ENABLED", lastPingAt: 0 },
      { peer: "198.51.100.12:9678", answer: "unreachable", detail: "connect ECONNREFUSED" },
    ],
    problems: [],
    disagreement: false,
    announced: { addr: "203.0.113.1:9678", protocolVersion: 90034, at: 0 },
    ...d,
  } satisfies NetviewDetail);

async function fill(dir: string, now: number): Promise<void> {
  const stores = openSqliteStore(join(dir, "watch.db"));
  try {
    await stores.nodeStates.save(HOSTS.map((h) => state(h, now)));
    // 30 s added to each ping: the CLI starts a little later, and the minutes are counted when it runs.
    const row = (i: number, over: Partial<NetviewRecord>): NetviewRecord => ({
      nodeId: `host:${HOSTS[i]}`, outpoint: `${TXID(i + 1)}-0`, state: "ENABLED", lastPingAt: now - 7 * MINUTE + 30_000, minutesToExpired: 58,
      askedAt: now - 2 * MINUTE, condition: "ok", conditionSince: Date.parse("2026-11-26T04:00:00Z"), detail: detail({}), ...over,
    });
    await stores.netview.saveNetview([
      row(0, {}),
      row(1, { state: "EXPIRED", lastPingAt: now - 80 * MINUTE, minutesToExpired: 0, condition: "expired", conditionSince: now - 15 * MINUTE, detail: detail({ problems: [HOSTILE_PROBLEM, "x".repeat(10_240)], disagreement: true }) }),
      row(2, { askedAt: now - 40 * MINUTE, lastPingAt: now - 45 * MINUTE + 30_000 }),
      row(3, { detail: "{\"peers\": \"not what detailText writes\"" }),
    ]);
  } finally {
    stores.close();
  }
}

// eslint-disable-next-line no-control-regex -- finding them is the test
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe("nodeward status: the network's view of each node", () => {
  it("prints each node's network state, last ping, minutes before EXPIRED, condition, staleness and problems; exit 2 when the network has one EXPIRED", async () => {
    const p = tempProject(yaml(true));
    try {
      await fill(p.dir, Date.now());
      const r = await runCli(["status"], { cwd: p.dir });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(RAW_CONTROL.exec(r.stdout + r.stderr), null, "no raw control from a peer's text");
      const lines = r.stdout.split("\n");
      const after = (node: string) => lines.slice(lines.findIndex((l) => l.includes(` ${node} `)) + 1);
      assert.match(after("sn-a")[0]!, /^ +network: ENABLED \(2 of 3 peers list it\) · last ping 7 min ago · 58 min to EXPIRED as the network counts it · ok since 2026-11-26 04:00 UTC · asked 2 min ago$/);
      assert.match(after("sn-b")[0]!, /network: EXPIRED \(2 of 3 peers list it\) · last ping 80 min ago · past EXPIRED as the network counts it · expired in the network since \d{4}-\d\d-\d\d \d\d:\d\d UTC · asked 2 min ago · the peers disagree$/);
      assert.equal(after("sn-b")[1], `${" ".repeat(36)}✗ announced address 198.51.100.99:9678 is not the node's\\e[2J\\r\\n✓ sn-x forged \\u202eline`, "a problem is one line, its controls shown");
      assert.equal(after("sn-b")[2], `${" ".repeat(36)}✗ ${"x".repeat(10_240)}`);
      assert.match(after("sn-c")[0]!, /network: ENABLED .*last ping 45 min ago · 20 min to EXPIRED .*asked 40 min ago \(stale: is `nodeward watch` running\?\)$/);
      assert.match(after("sn-d")[0]!, /network: ENABLED · last ping 7 min ago · .* · the peers' answers are unreadable$/, "unreadable detail: the columns still show");
      assert.match(after("sn-e")[0] ?? "", /^$/, "a node without a row says nothing of the network");
      assert.equal(lines.filter((l) => l.includes("network:")).length, 4);
      assert.doesNotMatch(r.stderr, /collateral/, "no hint when smartnodes is configured and rows exist");
    } finally {
      p.cleanup();
    }
  });

  it("gives each node a network object in --json (null without a row), detail null when unreadable", async () => {
    const p = tempProject(yaml(true));
    try {
      const now = Date.now();
      await fill(p.dir, now);
      const r = await runCli(["status", "--json"], { cwd: p.dir });
      assert.equal(r.code, 2, r.stderr);
      type Net = { outpoint: string; state: string; condition: string; conditionSince: number; lastPingAt: number | null; minutesToExpired: number | null; askedAt: number; stale: boolean; detail: NetviewDetail | null } | null;
      const nodes = new Map((JSON.parse(r.stdout) as { nodes: { node: string; network: Net }[] }).nodes.map((n) => [n.node, n.network]));
      const a = nodes.get("sn-a")!;
      assert.deepEqual({ ...a, detail: undefined }, { outpoint: `${TXID(1)}-0`, state: "ENABLED", condition: "ok", conditionSince: Date.parse("2026-11-26T04:00:00Z"), lastPingAt: now - 7 * MINUTE + 30_000, minutesToExpired: 58, askedAt: now - 2 * MINUTE, stale: false, detail: undefined });
      assert.deepEqual(a.detail?.peers.map((x) => x.answer), ["listed", "listed", "unreachable"]);
      assert.equal(a.detail?.announced?.addr, "203.0.113.1:9678");
      const b = nodes.get("sn-b")!;
      assert.deepEqual([b.state, b.condition, b.minutesToExpired, b.detail?.problems[0]], ["EXPIRED", "expired", 0, HOSTILE_PROBLEM], "JSON keeps the peer's text exactly");
      assert.equal(nodes.get("sn-c")?.stale, true);
      assert.equal(nodes.get("sn-d")?.detail, null);
      assert.equal(nodes.get("sn-e"), null);
      assert.equal(RAW_CONTROL.exec(r.stdout), null, "JSON escapes controls");
    } finally {
      p.cleanup();
    }
  });

  it("hints once on stderr when no collateral is configured, and exits 0 when every node is fine", async () => {
    const p = tempProject(yaml(false));
    try {
      const stores = openSqliteStore(join(p.dir, "watch.db"));
      await stores.nodeStates.save(HOSTS.map((h) => state(h, Date.now())));
      stores.close();
      const r = await runCli(["status"], { cwd: p.dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.split("\n").filter((l) => l !== "").length, HOSTS.length, "stdout: one line per node");
      assert.equal(r.stderr.match(/No collateral configured/g)?.length, 1);
      assert.match(r.stderr, /nodeward import smartnode\.conf FILE/);
      const q = await runCli(["status", "--quiet"], { cwd: p.dir });
      assert.doesNotMatch(q.stderr, /collateral/);
    } finally {
      p.cleanup();
    }
  });
});
