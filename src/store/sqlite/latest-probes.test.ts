import { describe, it } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { MINUTE, probe, T0 } from "../contracts/samples.ts";
import { tempDir } from "../temp-dir.test-support.ts";
import { openDatabase } from "./connection.ts";
import { migrate } from "./migrate.ts";
import { MIGRATIONS } from "./migrations/index.ts";
import { openSqliteStore } from "./open.ts";

/** What only the SQLite file shows: the upgrade of a single watcher's database, one transaction, two connections. */
const temp = tempDir();
let n = 0;

describe("SQLite fleet tables", () => {
  it("upgrades a version 4 database: each node's newest raw probe starts the feed, as the local vantage", async () => {
    const path = temp.file(`v4-${++n}.db`);
    const old = openSqliteStoreAt4(path);
    const keyOf = (id: string) => old.prepare("INSERT INTO node_keys (node_id) VALUES (?) RETURNING key").pluck().get(id) as number;
    const insert = old.prepare("INSERT INTO probes (node_key, at, ok, cause, latency_ms, height, protocol_version) VALUES (?, ?, ?, ?, ?, ?, ?)");
    const a = keyOf("a");
    const b = keyOf("b");
    keyOf("compacted-away");
    insert.run(a, T0, 1, null, 40, 2_950_000, 90034);
    insert.run(a, T0 + 2 * MINUTE, 0, "p2p timeout", null, null, null);
    insert.run(a, T0 + MINUTE, 1, null, 40, 2_950_000, 90034);
    insert.run(b, T0, 1, null, 40, 2_950_000, 90034);
    old.close();

    const store = openSqliteStore(path);
    try {
      const { rows } = await store.latest.latestSince(0, 10);
      assert.deepEqual(
        rows.map(({ seq: _seq, ...r }) => r),
        [
          { ...probe("a", T0 + 2 * MINUTE, { ok: false }), vantage: "local" },
          { ...probe("b", T0), vantage: "local" },
        ],
      );
      await store.probes.appendProbes([probe("b", T0 + MINUTE)]);
      assert.deepEqual((await store.latest.latestSince(rows.at(-1)!.seq, 10)).rows.map((r) => [r.nodeId, r.at]), [["b", T0 + MINUTE]]);
    } finally {
      store.close();
    }
  });

  it("stores neither raw nor newest results when the batch's transaction fails part-way", async () => {
    const path = temp.file(`abort-${++n}.db`);
    const store = openSqliteStore(path);
    await store.probes.appendProbes([probe("a", T0)], "fra-1");
    const raw = new Database(path);
    // A real failure inside the transaction, after earlier rows of the batch were written.
    raw.exec("CREATE TRIGGER fail_c BEFORE INSERT ON probes WHEN (SELECT node_id FROM node_keys WHERE key = NEW.node_key) = 'c' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    raw.close();
    try {
      await assert.rejects(store.probes.appendProbes([probe("a", T0 + MINUTE, { ok: false }), probe("b", T0), probe("c", T0)], "fra-1"), /disk trouble/);
      const { rows } = await store.latest.latestSince(0, 10);
      assert.deepEqual(rows.map((r) => [r.nodeId, r.at, r.ok]), [["a", T0, true]]);
      assert.equal((await store.probes.recentProbes("a", 10)).length, 1);
      assert.deepEqual(await store.probes.recentProbes("b", 10), []);
    } finally {
      store.close();
    }
  });

  it("grants the lease to one holder at a time across two connections on one file", async () => {
    const path = temp.file(`lease-${++n}.db`);
    const first = openSqliteStore(path);
    const second = openSqliteStore(path);
    try {
      const answers = await Promise.all([first.leases.acquireLease("leader", "fra-1/a", MINUTE), second.leases.acquireLease("leader", "sgp-1/b", MINUTE)]);
      assert.deepEqual(answers.map((l) => l?.holder ?? null), ["fra-1/a", null]);
      await first.leases.releaseLease("leader", "fra-1/a");
      assert.equal((await second.leases.acquireLease("leader", "sgp-1/b", MINUTE))?.token, 2);
      assert.deepEqual(await first.leases.currentLease("leader"), await second.leases.currentLease("leader"));
    } finally {
      second.close();
      first.close();
    }
  });
});

function openSqliteStoreAt4(path: string): Database.Database {
  const db = openDatabase(path);
  migrate(db, MIGRATIONS.slice(0, 4), path);
  return db;
}
