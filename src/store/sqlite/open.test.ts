import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { rejectsWith } from "../contracts/harness.ts";
import { alertEvent, event, minutes, nodeState, T0 } from "../contracts/samples.ts";
import { isStoreError } from "../errors.ts";
import { tempDir } from "../temp-dir.test-support.ts";
import { BUSY_TIMEOUT_MS, openDatabase } from "./connection.ts";
import { openSqliteStore } from "./open.ts";

const temp = tempDir();
const mode = (path: string) => statSync(path).mode & 0o777;

describe("openSqliteStore", () => {
  it("creates a missing directory 0700 and the database 0600, its WAL files too", async () => {
    const path = join(temp.dir, "fresh", "deeper", "nodeward.db");
    const store = openSqliteStore(path);
    await store.probes.appendProbes(minutes("n1", T0, 3));
    assert.equal(store.path, path);
    assert.equal(mode(join(temp.dir, "fresh")), 0o700);
    assert.equal(mode(join(temp.dir, "fresh", "deeper")), 0o700);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) assert.equal(mode(f), 0o600, f);
    store.close();
  });

  it("sets WAL, synchronous=FULL, foreign keys, a busy timeout and incremental auto-vacuum", () => {
    const path = temp.file("pragmas.db");
    openSqliteStore(path).close();
    const db = openDatabase(path); // the connection setup openSqliteStore uses
    assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    assert.equal(db.pragma("synchronous", { simple: true }), 2, "FULL");
    assert.equal(db.pragma("foreign_keys", { simple: true }), 1);
    assert.equal(db.pragma("busy_timeout", { simple: true }), BUSY_TIMEOUT_MS);
    assert.equal(db.pragma("auto_vacuum", { simple: true }), 2, "INCREMENTAL");
    assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
    db.close();
  });

  it("keeps everything committed across close and reopen", async () => {
    const path = temp.file("reopen.db");
    const first = openSqliteStore(path);
    await first.probes.appendProbes(minutes("n1", T0, 5));
    await first.incidents.open({ id: "i1", nodeId: "n1", startedAt: T0, lastGoodAt: T0 - 60_000, cause: "p2p timeout" }, event(T0, "down"));
    await first.nodeStates.save([nodeState("n1")]);
    await first.outbox.enqueue([{ dedupeKey: "i1:down", channel: "mail", event: alertEvent("i1") }], T0);
    first.close();

    const again = openSqliteStore(path);
    assert.equal((await again.probes.recentProbes("n1", 10)).length, 5);
    assert.deepEqual((await again.incidents.openIncidents()).map((i) => i.id), ["i1"]);
    assert.deepEqual(await again.nodeStates.loadAll(), [nodeState("n1")]);
    assert.equal(await again.outbox.depth(), 1);
    again.close();
  });

  it("refuses a file that is not SQLite and leaves it as it was", () => {
    const path = temp.file("notes.txt");
    const text = "not a database\n".repeat(40);
    writeFileSync(path, text);
    assert.throws(() => openSqliteStore(path), (e: unknown) => isStoreError(e, "not-nodeward") && /is not an SQLite database/.test(e.message));
    assert.equal(readFileSync(path, "utf8"), text);
  });

  it("refuses another program's SQLite database without switching it to WAL", () => {
    const path = temp.file("wallet.sqlite");
    const other = new Database(path);
    other.exec("CREATE TABLE main (key BLOB PRIMARY KEY, value BLOB)");
    other.close();
    assert.throws(() => openSqliteStore(path), (e: unknown) => isStoreError(e, "not-nodeward") && /not nodeward's/.test(e.message));
    const check = new Database(path);
    assert.equal(check.pragma("journal_mode", { simple: true }), "delete");
    check.close();
  });

  it("says why when the file cannot be opened", () => {
    const path = join(temp.file("plain-file"), "nodeward.db");
    writeFileSync(temp.file("plain-file"), "");
    assert.throws(() => openSqliteStore(path), (e: unknown) => isStoreError(e, "unavailable") && e.message.includes(path));
  });

  it("closes once, and rejects calls after close", async () => {
    const store = openSqliteStore(temp.file("closed.db"));
    store.close();
    store.close();
    await assert.rejects(store.probes.appendProbes(minutes("n1", T0, 1)), /not open/);
    await assert.rejects(store.outbox.depth(), /not open/);
  });

  it("hands a validation error back as a rejection, not a throw", async () => {
    const store = openSqliteStore(temp.file("reject.db"));
    await rejectsWith(store.probes.recentProbes("n1", -1), "invalid-argument");
    store.close();
  });
});
