import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { settleAttestations, type AttestationRecords } from "../src/audit/attest.ts";
import { readAttestations, writeAttestations } from "../src/audit/attest-file.ts";
import type { HostFacts, WalletFacts } from "../src/audit/ports.ts";
import { seedFleet } from "../src/sim/seed.ts";
import { openSqliteStore } from "../src/store/index.ts";
import type { NodeWatchState } from "../src/watch/model.ts";
import { simConfig } from "./helpers/cli.ts";
import { auditContext, byNode, check, statuses } from "./helpers/audit.ts";
import { startCheckedSim } from "./helpers/sim.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-26T05:00:00Z");
const state = (nodeId: string, over: Partial<NodeWatchState>): NodeWatchState => ({
  nodeId, health: "up", degraded: null, failures: 0, successes: 3, lastGoodAt: NOW - 60_000, lastProbeAt: NOW - 60_000, failingSince: null, incident: null, ...over,
});

describe("audit: the reward clock from the watch daemon's database", () => {
  it("passes nodes probed just now, fails a down one with the minutes left, reminds about stale and unwatched ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nodeward-audit-"));
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    const seeded = seedFleet(sim.state, { count: 4, seed: 4, tags: ["smartnode"] });
    const [a, b, c] = seeded.instanceIds as [string, string, string, string];
    const db = join(dir, "nodeward.db");
    const stores = openSqliteStore(db);
    try {
      await stores.nodeStates.save([
        state(a, {}),
        state(b, { health: "down", failures: 5, successes: 0, lastGoodAt: NOW - 25 * 60_000, failingSince: NOW - 24 * 60_000, incident: { id: "i1", startedAt: NOW - 22 * 60_000, cause: "tcp 9678 refused", escalated: [20] } }),
        state(c, { lastGoodAt: NOW - 3 * 3_600_000, lastProbeAt: NOW - 3 * 3_600_000 }),
      ]);
      stores.close();
      const { ctx } = auditContext({ yaml: simConfig(sim.url), sim, now: NOW, watchDatabase: db });
      const out = await check("reward-clock", ctx);
      const label = (id: string) => sim.state.instances().find((i) => i.id === id)!.label;
      const got = byNode(out);
      assert.equal(got[label(a)], "pass");
      assert.equal(got[label(b)], "fail");
      assert.equal(got[label(c)], "attention");
      assert.equal(Object.values(got).length, 4);
      assert.equal(Object.values(got).filter((s) => s === "attention").length, 2, "the node missing from the database needs attention");
      const byLabel = new Map(out.map((o) => [o.node, o]));
      assert.match(byLabel.get(label(a))!.evidence, /last good probe 1 min ago .*64 min before EXPIRED if it stopped answering now/);
      assert.match(byLabel.get(label(b))!.evidence, /down since .*tcp 9678 refused.*40 min left before EXPIRED/);
      assert.match(byLabel.get(label(c))!.evidence, /last probed 180 min ago: is `nodeward watch` running\?/);
    } finally {
      stores.close();
      rmSync(dir, { recursive: true, force: true });
      await sim.closeAndCheck();
    }
  });

  it("says EXPIRED once 65 minutes have passed, and cannot check without a database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nodeward-audit-"));
    const db = join(dir, "nodeward.db");
    const stores = openSqliteStore(db);
    const yaml = "version: 1\ncoin: smartcash\nnodes: { tags: [x] }\nhosts: [{ name: home, addresses: [198.51.100.9] }]\n";
    try {
      await stores.nodeStates.save([state("host:home", { health: "down", lastGoodAt: NOW - 70 * 60_000, incident: { id: "i2", startedAt: NOW - 68 * 60_000, cause: "p2p timeout", escalated: [] } })]);
      stores.close();
      const [r] = await check("reward-clock", auditContext({ yaml, now: NOW, watchDatabase: db }).ctx);
      assert.equal(r?.node, "home");
      assert.equal(r?.status, "fail");
      assert.match(r?.evidence ?? "", /EXPIRED 5 min ago \(NEW_START_REQUIRED in 50 min\)/);
      const [none] = await check("reward-clock", auditContext({ yaml, now: NOW, watchDatabase: join(dir, "absent.db") }).ctx);
      assert.equal(none?.status, "cannot-check");
      assert.match(none?.evidence ?? "", /no watch database at .*absent\.db/);
      assert.throws(() => statSync(join(dir, "absent.db")), "the audit never creates the database");
    } finally {
      stores.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("audit: attestations for what the Vultr API cannot show", () => {
  const yaml = "version: 1\ncoin: smartcash\nnodes: { tags: [x] }\n";
  const at = (records: AttestationRecords) => auditContext({ yaml, now: NOW, attestations: records }).ctx;

  it("needs attention until attested, passes while fresh, reminds after 90 days, fails on a no", async () => {
    const [missing] = await check("account.2fa", at({}));
    assert.equal(missing?.status, "attention");
    assert.match(missing?.evidence ?? "", /API does not expose two-factor/);
    assert.match(missing?.fix ?? "", /--attest-2fa/);
    const [fresh] = await check("account.2fa", at({ "vultr-2fa": { answer: "yes", at: NOW - 10 * DAY, via: "flag" } }));
    assert.equal(fresh?.status, "pass");
    assert.match(fresh?.evidence ?? "", /answered "yes" on 2026-11-16 \(10 days ago, --attest-2fa\)/);
    const [stale] = await check("account.2fa", at({ "vultr-2fa": { answer: "yes", at: NOW - 91 * DAY, via: "prompt" } }));
    assert.equal(stale?.status, "attention");
    assert.match(stale?.evidence ?? "", /longer ago than audit.attestationMaxAgeDays \(90\)/);
    const [no] = await check("account.2fa", at({ "vultr-2fa": { answer: "no", at: NOW - DAY, via: "prompt" } }));
    assert.equal(no?.status, "fail");
    const [key] = await check("account.api-key", at({}));
    assert.equal(key?.status, "attention");
    assert.match(key?.evidence ?? "", /cannot be read through the API/);
    assert.match(key?.fix ?? "", /Manage Firewall.*allow list/);
  });

  it("asks on a terminal only what is missing, stale or answered no, and records the date in the state directory", async () => {
    const asked: string[] = [];
    const first = await settleAttestations({ records: {}, now: NOW, maxAgeDays: 90, flags: new Set(), ask: async (q) => (asked.push(q), !q.includes("API key")) });
    assert.equal(asked.length, 2);
    assert.equal(first.changed, true);
    assert.equal(first.records["vultr-2fa"]?.answer, "yes");
    assert.equal(first.records["api-key-scope"]?.answer, "no");
    asked.length = 0;
    const second = await settleAttestations({ records: first.records, now: NOW + DAY, maxAgeDays: 90, flags: new Set(), ask: async (q) => (asked.push(q), true) });
    assert.deepEqual(asked.map((q) => q.includes("API key")), [true], "2FA is not asked again; the \"no\" is");
    const flagged = await settleAttestations({ records: {}, now: NOW, maxAgeDays: 90, flags: new Set(["vultr-2fa"] as const) });
    assert.deepEqual(flagged.records, { "vultr-2fa": { answer: "yes", at: NOW, via: "flag" } });

    const dir = join(mkdtempSync(join(tmpdir(), "nodeward-audit-")), "state");
    try {
      await writeAttestations(dir, second.records);
      assert.deepEqual(await readAttestations(dir), second.records);
      assert.equal(statSync(join(dir, "attestations.json")).mode & 0o777, 0o600);
      assert.deepEqual(await readAttestations(join(dir, "none")), {});
    } finally {
      rmSync(join(dir, ".."), { recursive: true, force: true });
    }
  });
});

describe("audit: host, wallet and dashboard checks behind their ports", () => {
  const yaml = "version: 1\ncoin: smartcash\nnodes: { tags: [x] }\n";
  const HOST_IDS = ["host.firewall", "host.ssh", "host.rpc"];
  const WALLET_IDS = ["wallet.encrypted", "wallet.permissions", "wallet.backup"];
  const DASH_IDS = ["dashboard.2fa", "dashboard.backup-codes"];

  it("says cannot check, not given, when their input is missing, and why when this build cannot read it", async () => {
    const { ctx } = auditContext({ yaml });
    for (const id of [...HOST_IDS, ...WALLET_IDS, ...DASH_IDS]) {
      const [r] = await check(id, ctx);
      assert.equal(r?.status, "cannot-check", id);
      assert.equal(r?.evidence, "not given", id);
      assert.ok((r?.fix ?? "").length > 10, id);
    }
    const unsupported = auditContext({ yaml, wallet: { state: "unsupported", input: "/x/wallet.dat", why: "no wallet support" } }).ctx;
    assert.match((await check("wallet.encrypted", unsupported))[0]!.evidence, /\/x\/wallet\.dat given, but no wallet support/);
  });

  it("passes a locked-down host and fails an open one", async () => {
    const probe = (facts: HostFacts) => ({ state: "given" as const, probe: { source: "test", inspect: async () => facts } });
    const good = auditContext({ yaml, host: probe({ ruleset: { state: "loaded", detail: "table inet nodeward loaded" }, ssh: { state: "off", detail: "sshd stopped" }, rpc: { state: "localhost", detail: "rpcbind=127.0.0.1" } }) }).ctx;
    const bad = auditContext({ yaml, host: probe({ ruleset: { state: "missing", detail: "no nodeward table" }, ssh: { state: "open", detail: "PermitRootLogin yes, port 22 from anywhere" }, rpc: { state: "all-interfaces", detail: "rpcallowip=0.0.0.0/0 without rpcbind" } }) }).ctx;
    const unknown = auditContext({ yaml, host: probe({ ruleset: null, ssh: null, rpc: { state: "off", detail: "server=0" } }) }).ctx;
    for (const id of HOST_IDS) {
      assert.deepEqual(statuses(await check(id, good)), ["pass"], id);
      assert.deepEqual(statuses(await check(id, bad)), ["fail"], id);
    }
    assert.deepEqual(statuses(await check("host.firewall", unknown)), ["cannot-check"]);
    assert.deepEqual(statuses(await check("host.rpc", unknown)), ["pass"]);
    assert.match((await check("host.rpc", bad))[0]!.fix ?? "", /rpcbind=127\.0\.0\.1/);
  });

  it("passes an encrypted, private, freshly backed-up wallet and fails the opposite", async () => {
    const probe = (facts: Partial<WalletFacts>) => ({ state: "given" as const, probe: { path: "/data/wallet.dat", inspect: async (): Promise<WalletFacts> => ({ path: "/data/wallet.dat", encrypted: true, encryptionDetail: "the private keys are encrypted", mode: 0o600, backup: { newestAt: NOW - DAY, maxAgeDays: 7, verified: true, detail: "restores 12 keys" }, ...facts }) } });
    const good = auditContext({ yaml, now: NOW, wallet: probe({}) }).ctx;
    const bad = auditContext({ yaml, now: NOW, wallet: probe({ encrypted: false, mode: 0o644, backup: { newestAt: NOW - 30 * DAY, maxAgeDays: 7, verified: true, detail: "" } }) }).ctx;
    for (const id of WALLET_IDS) {
      assert.deepEqual(statuses(await check(id, good)), ["pass"], id);
      assert.deepEqual(statuses(await check(id, bad)), ["fail"], id);
    }
    assert.match((await check("wallet.backup", bad))[0]!.evidence, /30 days old \(maximum 7\)/);
    const failing = auditContext({ yaml, now: NOW, wallet: { state: "given", probe: { path: "/w", inspect: async () => { throw new Error("EACCES: permission denied"); } } } }).ctx;
    const [r] = await check("wallet.permissions", failing);
    assert.equal(r?.status, "cannot-check");
    assert.match(r?.evidence ?? "", /EACCES/);
  });

  it("passes dashboard users with 2FA and backup codes, fails those without", async () => {
    const users = [
      { name: "alice", totpEnrolled: true, backupCodesRemaining: 8 },
      { name: "bob", totpEnrolled: false, backupCodesRemaining: 0 },
      { name: "carol", totpEnrolled: true, backupCodesRemaining: 1 },
    ];
    const { ctx } = auditContext({ yaml, dashboard: { state: "given", probe: { source: "nodeward.db", list: async () => users } } });
    assert.deepEqual(byNode(await check("dashboard.2fa", ctx)), { alice: "pass", bob: "fail", carol: "pass" });
    assert.deepEqual(byNode(await check("dashboard.backup-codes", ctx)), { alice: "pass", bob: "fail", carol: "attention" });
    assert.match((await check("dashboard.2fa", ctx))[1]!.fix ?? "", /nodeward 2fa enroll bob/);
  });
});
