import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { NetviewDetail } from "../src/netview/detail.ts";
import type { NetviewRecord } from "../src/netview/ports.ts";
import { openSqliteStore } from "../src/store/index.ts";
import type { NodeWatchState } from "../src/watch/model.ts";
import { auditContext, check } from "./helpers/audit.ts";
import { runCli, simConfig, tempProject } from "./helpers/cli.ts";
import { startCheckedSim } from "./helpers/sim.ts";

/**
 * The audit's "network-view" step reads what the watch daemon last heard from the network about
 * each node with a collateral, from a real SQLite watch database, and says pass / fail /
 * attention / cannot check with its evidence and a fix.
 */

const MINUTE = 60_000;
const NOW = Date.parse("2026-11-26T05:00:00Z");
const TXID = (n: number) => n.toString(16).padStart(2, "0").repeat(32);
const HOSTILE_ALIAS = `mn-<b>"x'|\u202e`;

const state = (nodeId: string, health: NodeWatchState["health"]): NodeWatchState => ({
  nodeId, health, degraded: null, failures: health === "up" ? 0 : 5, successes: health === "up" ? 3 : 0, lastGoodAt: NOW - MINUTE, lastProbeAt: NOW - MINUTE, failingSince: null, incident: null,
});

const detail = (over: Partial<NetviewDetail> = {}): string =>
  JSON.stringify({
    peers: [
      { peer: "198.51.100.4:9678", answer: "listed", state: "ENABLED", lastPingAt: NOW - 7 * MINUTE },
      { peer: "198.51.100.9:9678", answer: "listed", state: "ENABLED", lastPingAt: NOW - 7 * MINUTE },
      { peer: "198.51.100.12:9678", answer: "unlisted" },
    ],
    problems: [],
    disagreement: false,
    announced: { addr: "203.0.113.1:9678", protocolVersion: 90034, at: NOW - 30 * 60 * MINUTE },
    ...over,
  } satisfies NetviewDetail);

/** Each case: the node's health and its row (null: none), and what the check must say. */
const CASES: { name: string; health: NodeWatchState["health"]; row: Partial<NetviewRecord> | null; status: string; evidence: RegExp; fix?: RegExp }[] = [
  { name: "enabled", health: "up", row: {}, status: "pass", evidence: /^alias mn-enabled: ENABLED in the network \(2 of 3 peers list it\); last ping 7 min ago \(2026-11-26 04:53 UTC\); 58 min before EXPIRED as the network counts it; asked 2 min ago$/ },
  { name: "pre-enabled", health: "up", row: { state: "PRE_ENABLED" }, status: "pass", evidence: /PRE_ENABLED in the network .*just started/ },
  { name: "unreadable", health: "up", row: { detail: "{\"peers\":" }, status: "pass", evidence: /ENABLED in the network \(the peers' answers are unreadable\)/ },
  { name: "expired", health: "up", row: { state: "EXPIRED", lastPingAt: NOW - 70 * MINUTE, condition: "expired" }, status: "fail", evidence: /EXPIRED in the network: last ping 70 min ago .*past the 65-minute mark/, fix: /externalip/ },
  { name: "new-start", health: "down", row: { state: "NEW_START_REQUIRED", lastPingAt: NOW - 200 * MINUTE, condition: "new-start" }, status: "fail", evidence: /NEW_START_REQUIRED in the network.*place in the payment queue is lost/, fix: /smartnode start-alias mn-new-start/ },
  { name: "update", health: "up", row: { state: "UPDATE_REQUIRED", condition: "expired", detail: detail({ announced: { addr: "203.0.113.1:9678", protocolVersion: 90026, at: NOW } }) }, status: "fail", evidence: /UPDATE_REQUIRED in the network: it announces protocol 90026/, fix: /update smartcashd/ },
  { name: "unlisted-up", health: "up", row: { state: "UNLISTED", lastPingAt: null, condition: "unseen" }, status: "fail", evidence: /unseen by the network: nodeward reaches the node, but no peer that answered lists its collateral/, fix: /txid and index/ },
  { name: "unlisted-down", health: "down", row: { state: "UNLISTED", lastPingAt: null }, status: "attention", evidence: /no peer that answered lists it, and nodeward does not reach it either/, fix: /bring the node back first/ },
  { name: "old-ping-up", health: "up", row: { lastPingAt: NOW - 50 * MINUTE, condition: "unseen" }, status: "fail", evidence: /unseen by the network: .*last ping 50 min ago .*older than netview\.unseenAfterMinutes \(45\)/ },
  { name: "old-ping-down", health: "down", row: { lastPingAt: NOW - 50 * MINUTE }, status: "attention", evidence: /older than netview\.unseenAfterMinutes \(45\), and nodeward does not reach the node either/, fix: /EXPIRED 65 minutes after its last ping/ },
  { name: "stale", health: "up", row: { askedAt: NOW - 16 * MINUTE, state: "EXPIRED" }, status: "attention", evidence: /the network was last asked 16 min ago \(it said EXPIRED then\): is `nodeward watch` running\?/, fix: /start the watch daemon/ },
  { name: "problem", health: "up", row: { detail: detail({ problems: ["the announce names 198.51.100.99:9678, not the node's 203.0.113.1:9678"] }) }, status: "attention", evidence: /ENABLED in the network .*; but the announce names 198\.51\.100\.99:9678, not the node's/, fix: /externalip .* then `smartnode start-alias mn-problem`/ },
  { name: "unknown", health: "up", row: { state: "UNKNOWN", lastPingAt: null, condition: "unknown" }, status: "attention", evidence: /no peer could be asked about it or answered in time/, fix: /netview\.peers/ },
  { name: "no-row", health: "up", row: null, status: "attention", evidence: /holds no network view of it: the watch daemon has not asked yet, or is not running/, fix: /nodeward watch/ },
  { name: "hostile", health: "up", row: {}, status: "pass", evidence: /^alias mn-<b>"x'\|\u202e: ENABLED/ },
];

const alias = (c: (typeof CASES)[number]) => (c.name === "hostile" ? HOSTILE_ALIAS : `mn-${c.name}`);

describe("audit: the network's view of each node (network-view)", () => {
  it("passes ENABLED nodes with a fresh row, fails EXPIRED / NEW_START_REQUIRED / UPDATE_REQUIRED / unseen, needs attention for the rest, each with evidence and a fix", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nodeward-audit-net-"));
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    try {
      const ids = CASES.map((c, n) => sim.state.addInstance({ label: `sn-${c.name}`, tags: ["smartnode"], main_ip: `203.0.113.${n + 1}` }).id);
      const db = join(dir, "nodeward.db");
      const stores = openSqliteStore(db);
      await stores.nodeStates.save(CASES.map((c, n) => state(ids[n]!, c.health)));
      await stores.netview.saveNetview(CASES.flatMap((c, n) => c.row === null ? [] : [{
        nodeId: ids[n]!, outpoint: `${TXID(n + 1)}-0`, state: "ENABLED", lastPingAt: NOW - 7 * MINUTE, minutesToExpired: 58, askedAt: NOW - 2 * MINUTE, condition: "ok", conditionSince: NOW - 60 * MINUTE, detail: detail(), ...c.row,
      } satisfies NetviewRecord]));
      stores.close();
      const smartnodes = [
        ...CASES.map((c, n) => `  - { alias: ${JSON.stringify(alias(c))}, address: "203.0.113.${n + 1}:9678", txid: "${TXID(n + 1)}", index: 0 }`),
        `  - { alias: mn-elsewhere, address: "198.51.100.200:9678", txid: "${TXID(99)}", index: 3 }`,
      ].join("\n");
      const { ctx } = auditContext({ yaml: simConfig(sim.url, `smartnodes:\n${smartnodes}\n`), sim, now: NOW, watchDatabase: db });
      const out = await check("network-view", ctx);
      assert.equal(out.length, CASES.length + 1, "one result per smartnodes entry");
      CASES.forEach((c, n) => {
        const r = out[n]!;
        assert.equal(r.node, `sn-${c.name}`, c.name);
        assert.equal(r.status, c.status, `${c.name}: ${r.evidence}`);
        assert.match(r.evidence, c.evidence, c.name);
        if (c.status === "pass") assert.equal(r.fix, undefined, c.name);
        else assert.match(r.fix ?? "", c.fix ?? /./, c.name);
      });
      const elsewhere = out[CASES.length]!;
      assert.deepEqual([elsewhere.node, elsewhere.status], ["mn-elsewhere", "attention"]);
      assert.match(elsewhere.evidence, /its address 198\.51\.100\.200:9678 is the IP of no node nodeward selects/);
      assert.match(elsewhere.fix ?? "", /nodeward import smartnode\.conf FILE/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await sim.closeAndCheck();
    }
  });

  it("finds the row by its collateral when the provider cannot be read, and cannot check without smartnodes, a SmartNode list or a database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nodeward-audit-net-"));
    try {
      const db = join(dir, "nodeward.db");
      const stores = openSqliteStore(db);
      await stores.nodeStates.save([state("i-123", "up")]);
      await stores.netview.saveNetview([{ nodeId: "i-123", outpoint: `${TXID(1)}-0`, state: "EXPIRED", lastPingAt: NOW - 80 * MINUTE, minutesToExpired: 0, askedAt: NOW - MINUTE, condition: "expired", conditionSince: NOW - 15 * MINUTE, detail: detail() }]);
      stores.close();
      const entry = `smartnodes:\n  - { alias: mn1, address: "203.0.113.77:9678", txid: "${TXID(1)}", index: 0 }\n`;
      const base = "version: 1\ncoin: smartcash\nnodes: { tags: [x] }\n";
      const [byOutpoint] = await check("network-view", auditContext({ yaml: base + entry, now: NOW, watchDatabase: db }).ctx);
      assert.deepEqual([byOutpoint?.node, byOutpoint?.status], ["i-123", "fail"], "without the provider, the row naming the collateral");
      assert.match(byOutpoint?.evidence ?? "", /^alias mn1: EXPIRED in the network/);

      const [none] = await check("network-view", auditContext({ yaml: base, now: NOW, watchDatabase: db }).ctx);
      assert.equal(none?.status, "cannot-check");
      assert.match(none?.evidence ?? "", /no collateral configured/);
      assert.match(none?.fix ?? "", /nodeward import smartnode\.conf FILE/);

      const [dash] = await check("network-view", auditContext({ yaml: base.replace("smartcash", "dash"), now: NOW, watchDatabase: db }).ctx);
      assert.equal(dash?.status, "cannot-check");
      assert.match(dash?.evidence ?? "", /coin dash has no SmartNode list/);

      const [nodb] = await check("network-view", auditContext({ yaml: base + entry, now: NOW, watchDatabase: join(dir, "absent.db") }).ctx);
      assert.equal(nodb?.status, "cannot-check");
      assert.match(nodb?.evidence ?? "", /no watch database at .*absent\.db/);

      const [off] = await check("network-view", auditContext({ yaml: `${base}netview: { enabled: false }\nsmartnodes:\n  - { alias: mn2, address: "203.0.113.78:9678", txid: "${TXID(2)}", index: 0 }\n`, now: NOW, watchDatabase: db }).ctx);
      assert.equal(off?.status, "attention");
      assert.match(off?.evidence ?? "", /netview\.enabled is false/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("nodeward audit with the network-view step", () => {
  it("runs it after the reward clock, one result per collateral, in JSON that validates and in text", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    const yaml = `verify: { ports: coin, timeoutSeconds: 1 }\nwatch: { database: ./watch.db }\nhosts:\n  - { name: home, addresses: [127.0.0.84] }\nsmartnodes:\n  - { alias: mn-home, address: "127.0.0.84:9678", txid: "${TXID(7)}", index: 1 }\n`;
    const p = tempProject(simConfig(sim.url, yaml).replace("tags: [smartnode]", "tags: [nothing]"));
    try {
      const now = Date.now();
      const stores = openSqliteStore(join(p.dir, "watch.db"));
      await stores.nodeStates.save([{ ...state("host:home", "up"), lastGoodAt: now - MINUTE, lastProbeAt: now - MINUTE }]);
      await stores.netview.saveNetview([{ nodeId: "host:home", outpoint: `${TXID(7)}-1`, state: "NEW_START_REQUIRED", lastPingAt: now - 200 * MINUTE, minutesToExpired: 0, askedAt: now - MINUTE, condition: "new-start", conditionSince: now - 80 * MINUTE, detail: detail() }]);
      stores.close();
      const env = { VULTR_API_KEY: sim.apiKey };
      const r = await runCli(["audit", "--json"], { cwd: p.dir, env });
      assert.equal(r.code, 2, r.stderr);
      const ajv = new Ajv2020({ allErrors: true });
      (addFormats as unknown as (a: Ajv2020) => void)(ajv);
      const validate = ajv.compile(JSON.parse(readFileSync(new URL("../schema/audit-report.schema.json", import.meta.url), "utf8")) as object);
      const j = JSON.parse(r.stdout) as { steps: { id: string; status: string; checks: string[] }[]; results: { id: string; step: string; node: string | null; status: string; evidence: string; fix: string | null }[] };
      assert.ok(validate(j), JSON.stringify(validate.errors));
      const steps = j.steps.map((s) => s.id);
      assert.equal(steps.indexOf("network-view"), steps.indexOf("reward-clock") + 1);
      assert.deepEqual(j.steps.find((s) => s.id === "network-view"), { ...j.steps.find((s) => s.id === "network-view"), status: "fail", checks: ["network-view"] });
      const results = j.results.filter((x) => x.id === "network-view");
      assert.deepEqual(results.map((x) => [x.node, x.step, x.status]), [["home", "network-view", "fail"]]);
      assert.match(results[0]!.fix ?? "", /smartnode start-alias mn-home/);

      const text = await runCli(["audit"], { cwd: p.dir, env });
      assert.match(text.stdout, /✗ 4\. The network's view\n {2}✗ ENABLED in the network's list \[network-view\]\n {6}✗ home: alias mn-home: NEW_START_REQUIRED in the network/);
      assert.match(text.stdout, /5\. Host lock-down/);
    } finally {
      p.cleanup();
      await sim.closeAndCheck();
    }
  });
});
