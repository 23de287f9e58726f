import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import Database from "better-sqlite3";
import { alertEvent, event, minutes, nodeState, T0 } from "../contracts/samples.ts";
import { tempDir } from "../temp-dir.test-support.ts";
import { openSqliteAuthStore } from "./auth-store.ts";
import { isCorruption } from "./faults.ts";
import { openSqliteStore } from "./open.ts";
import { setAsideAndRecover } from "./recover.ts";

const temp = tempDir();
let n = 0;

/** A nodeward database with a dashboard user, an open incident, a node state, a queued alert and 5,000 probes. */
async function populated(): Promise<string> {
  const path = temp.file(`damaged-${++n}.db`);
  const s = openSqliteStore(path);
  for (let i = 0; i < 50; i++) await s.probes.appendProbes(minutes(`n${i}`, T0, 100));
  await s.incidents.open({ id: "i1", nodeId: "n1", startedAt: T0, lastGoodAt: T0 - 60_000, cause: "p2p timeout" }, event(T0, "down"));
  await s.nodeStates.save([nodeState("n1")]);
  await s.outbox.enqueue([{ dedupeKey: "i1:down", channel: "mail", event: alertEvent("i1") }], T0);
  s.close();
  const auth = openSqliteAuthStore(path);
  await auth.createUser({ name: "alice", passwordHash: "scrypt$x", createdAt: T0, totpSecret: "sealed", totpEnrolledAt: T0, totpLastStep: null, pendingTotpSecret: null, failedAttempts: 0, lockedUntil: null });
  auth.close();
  return path;
}

/** Overwrites the root page of a table with garbage, as a bad sector or a torn write would. */
function damageTable(path: string, table: string): void {
  const db = new Database(path, { readonly: true });
  const page = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = ?").pluck().get(table) as number;
  const size = db.pragma("page_size", { simple: true }) as number;
  db.close();
  const fd = openSync(path, "r+");
  writeSync(fd, Buffer.alloc(size, 0xa5), 0, size, (page - 1) * size);
  closeSync(fd);
}

describe("a damaged database set aside", () => {
  it("is found damaged when the probes table is read", async () => {
    const path = await populated();
    damageTable(path, "probes");
    const s = openSqliteStore(path);
    await assert.rejects(s.probes.latestTimes("n1"), (e: unknown) => isCorruption(e));
    s.close();
  });

  it("keeps the damaged file, starts a new one, and carries over the accounts, incidents, states and queued alerts", async () => {
    const path = await populated();
    damageTable(path, "probes");
    const before = readFileSync(path);
    const r = setAsideAndRecover(path, new Date(T0));
    assert.match(r.setAside, /damaged-\d+\.db\.corrupt-2026-01-05T10-00-00-000Z$/);
    assert.deepEqual(readFileSync(r.setAside), before, "the damaged file is kept as it was");
    assert.deepEqual(r.lost, []);
    assert.deepEqual(r.carried.filter((c) => c.rows > 0).map((c) => c.table), ["auth_users", "node_states", "incidents", "incident_events", "outbox"]);

    const s = openSqliteStore(path);
    assert.deepEqual((await s.incidents.openIncidents()).map((i) => i.id), ["i1"]);
    assert.deepEqual(await s.nodeStates.loadAll(), [nodeState("n1")]);
    assert.equal(await s.outbox.depth(), 1);
    assert.deepEqual(await s.probes.latestTimes("n1"), { probeAt: null, goodAt: null }, "probe history starts afresh");
    s.close();
    const auth = openSqliteAuthStore(path);
    assert.deepEqual((await auth.listUsers()).map((u) => [u.name, u.totpSecret]), [["alice", "sealed"]]);
    auth.close();
  });

  it("says which tables it lost when the file is not readable at all, and still starts a new one", async () => {
    const path = await populated();
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0); // the header
    closeSync(fd);
    const r = setAsideAndRecover(path, new Date(T0 + 1));
    assert.ok(existsSync(r.setAside));
    assert.deepEqual(r.carried, []);
    assert.ok(r.lost.some((l) => l.table === "auth_users" && /not a database/.test(l.error)), JSON.stringify(r.lost));
    const s = openSqliteStore(path);
    assert.equal(await s.outbox.depth(), 0);
    s.close();
  });
});
