import { describe, it } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { netviewRecord } from "../contracts/samples.ts";
import { tempDir } from "../temp-dir.test-support.ts";
import { isStorageFault } from "./faults.ts";
import { openSqliteStore } from "./open.ts";

const temp = tempDir();

/** What the contract cannot reach: the database itself failing half-way through a save, and its CHECKs. */
describe("SQLite network views", () => {
  it("writes a save whole or not at all: a row the database refuses half-way leaves the earlier rows unchanged", async () => {
    const path = temp.file("atomic.db");
    const store = openSqliteStore(path);
    try {
      await store.netview.saveNetview([netviewRecord("a"), netviewRecord("b")]);
      const raw = new Database(path);
      raw.exec("CREATE TRIGGER refuse_boom BEFORE INSERT ON netview WHEN NEW.node_id = 'boom' BEGIN SELECT RAISE(ABORT, 'refused boom'); END");
      raw.close();
      await assert.rejects(store.netview.saveNetview([netviewRecord("a", { condition: "expired" }), netviewRecord("boom"), netviewRecord("c")]), /refused boom/);
      assert.deepEqual(await store.netview.latestNetview(), [netviewRecord("a"), netviewRecord("b")]);
    } finally {
      store.close();
    }
  });

  it("passes the file's failures on as SQLite's own, which faults.ts counts as storage faults", async () => {
    const path = temp.file("locked.db");
    const store = openSqliteStore(path);
    const other = new Database(path, { timeout: 0 });
    try {
      other.exec("BEGIN IMMEDIATE");
      // The store's busy timeout is seconds; another writer holding the lock longer is the file's failure, not the caller's.
      const started = Date.now();
      const failed = await store.netview.saveNetview([netviewRecord("a")]).then(() => null, (e: unknown) => e);
      assert.ok(failed !== null && isStorageFault(failed), `a storage fault, got ${String(failed)} after ${Date.now() - started} ms`);
      other.exec("ROLLBACK");
      await store.netview.saveNetview([netviewRecord("a")]);
      assert.equal((await store.netview.latestNetview()).length, 1);
    } finally {
      other.close();
      store.close();
    }
  });

  it("lets the database refuse a state or condition it does not know", () => {
    const path = temp.file("check.db");
    openSqliteStore(path).close();
    const raw = new Database(path);
    const insert = (state: string, condition: string) =>
      raw.prepare("INSERT INTO netview (node_id, outpoint, state, asked_at, condition, condition_since, detail) VALUES ('x', 'o-0', ?, 1, ?, 1, '{}')").run(state, condition);
    assert.throws(() => insert("POSE_BAN", "ok"), /CHECK constraint failed/);
    assert.throws(() => insert("ENABLED", "down"), /CHECK constraint failed/);
    insert("ENABLED", "ok");
    raw.close();
  });
});
