import { describe, it } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { isStoreError } from "../errors.ts";
import { tempDir } from "../temp-dir.test-support.ts";
import { openDatabase } from "./connection.ts";
import { migrate, NODEWARD_APPLICATION_ID, schemaVersion, type Migration } from "./migrate.ts";
import { MIGRATIONS } from "./migrations/index.ts";
import { migration0001 } from "./migrations/0001-initial.ts";
import { openSqliteStore } from "./open.ts";

const temp = tempDir();
const tables = (db: Database.Database) => db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();

describe("migrations", () => {
  it("are numbered 1, 2, 3, … in the order they are listed", () => {
    assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
  });

  it("bring a new database to the newest version, and do nothing the second time", () => {
    const db = openDatabase(temp.file("new.db"));
    assert.deepEqual(migrate(db, MIGRATIONS, "new.db"), { from: 0, to: MIGRATIONS.length });
    assert.deepEqual(migrate(db, MIGRATIONS, "new.db"), { from: MIGRATIONS.length, to: MIGRATIONS.length });
    assert.ok(tables(db).includes("probes"));
    assert.equal(db.pragma("application_id", { simple: true }), NODEWARD_APPLICATION_ID);
    db.close();
  });

  it("apply the pending ones in order on an older database", () => {
    const db = openDatabase(temp.file("older.db"));
    migrate(db, [migration0001], "older.db");
    const later: Migration[] = [
      migration0001,
      { version: 2, name: "notes", sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY) STRICT;" },
      { version: 3, name: "notes-text", sql: "ALTER TABLE notes ADD COLUMN body TEXT;" },
    ];
    assert.deepEqual(migrate(db, later, "older.db"), { from: 1, to: 3 });
    db.prepare("INSERT INTO notes (body) VALUES ('x')").run();
    db.close();
  });

  it("roll a failing migration back whole and stay at the version before it", () => {
    const db = openDatabase(temp.file("failing.db"));
    const broken: Migration[] = [migration0001, { version: 2, name: "broken", sql: "CREATE TABLE half (x); INSERT INTO missing VALUES (1);" }];
    assert.throws(
      () => migrate(db, broken, "failing.db"),
      (e: unknown) => isStoreError(e, "migration-failed") && /0002-broken failed on failing\.db: no such table: missing.*unchanged at schema version 1/.test(e.message),
    );
    assert.equal(schemaVersion(db), 1);
    assert.ok(!tables(db).includes("half"));
    db.close();
  });

  it("refuse a list with a gap in the numbering", () => {
    const db = openDatabase(temp.file("gap.db"));
    assert.throws(() => migrate(db, [{ ...migration0001, version: 2 }], "gap.db"), /versions must run 1, 2, 3/);
    db.close();
  });

  it("refuse a database of a newer nodeward, saying so, and leave it untouched", () => {
    const path = temp.file("newer.db");
    openSqliteStore(path).close();
    const raw = new Database(path);
    raw.pragma("user_version = 99");
    raw.close();
    assert.throws(
      () => openSqliteStore(path),
      (e: unknown) => isStoreError(e, "schema-too-new") && e.message.includes("schema version 99") && e.message.includes("newer nodeward") && e.hint !== undefined,
    );
    const after = new Database(path);
    assert.equal(schemaVersion(after), 99);
    after.close();
  });
});
