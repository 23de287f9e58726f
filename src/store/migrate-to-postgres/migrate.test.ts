import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { Client } from "pg";
import { isStoreError, type StoreFailure } from "../errors.ts";
import { probe, T0 } from "../contracts/samples.ts";
import { openPostgresStore } from "../postgres/open.ts";
import { postgresSuites } from "../postgres/server.test-support.ts";
import { openSqliteAuthStore } from "../sqlite/auth-store.ts";
import { migrate as migrateSqlite } from "../sqlite/migrate.ts";
import { MIGRATIONS } from "../sqlite/migrations/index.ts";
import { openSqliteStore } from "../sqlite/open.ts";
import { tempDir } from "../temp-dir.test-support.ts";
import { fillStore, readBack, type AllStores } from "./fill.test-support.ts";
import { migrateToPostgres, type CopyResult } from "./index.ts";
import { rankWithin } from "./table.ts";
import { NOT_COPIED, TABLES } from "./tables.ts";

const tmp = tempDir();
const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

function openSqlite(path: string): AllStores & { close(): void } {
  const store = openSqliteStore(path);
  const auth = openSqliteAuthStore(path);
  const closeStore = store.close.bind(store);
  return Object.assign(store, { auth, close: () => (auth.close(), closeStore()) });
}

/** The watch database every test copies: filled once, closed, then only ever read. */
let filled: Promise<{ path: string; hash: string; expected: unknown }> | null = null;
function source() {
  filled ??= (async () => {
    const path = tmp.file("watch.db");
    const s = openSqlite(path);
    try {
      await fillStore(s);
      return { path, hash: "", expected: await readBack(s) };
    } finally {
      s.close();
    }
  })().then((f) => ({ ...f, hash: sha(f.path) }));
  return filled;
}

const everyTableMatches = (r: CopyResult) => {
  for (const t of r.tables) assert.ok(t.match, `${t.table}: ${t.sqlite} in SQLite, ${t.postgres} in PostgreSQL`);
  assert.equal(r.match, true);
};

describe("rankWithin", () => {
  it("numbers rows within each group, in page order, continuing across pages", () => {
    const seen = new Map<unknown, number>();
    const page = (groups: string) => [...groups].map((g) => ({ g }));
    assert.deepEqual(rankWithin(page("aabac"), "g", seen), [1, 2, 1, 3, 1]);
    assert.deepEqual(rankWithin(page("cba"), "g", seen), [2, 2, 4]);
    assert.deepEqual(rankWithin([], "g", seen), []);
  });
});

describe("the table list", () => {
  it("covers every table SQLite's migrations create, each once", () => {
    const path = tmp.file("schema.db");
    openSqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    db.close();
    const listed = [...TABLES.map((t) => t.name), ...Object.keys(NOT_COPIED)];
    assert.equal(new Set(listed).size, listed.length, "a table listed twice");
    assert.deepEqual([...listed].sort(), tables);
  });
});

postgresSuites("copying a SQLite watch database into PostgreSQL", (server) => {
  const readPostgres = async (url: string) => {
    const pg = await openPostgresStore(url);
    try {
      return await readBack(pg);
    } finally {
      await pg.end();
    }
  };
  const refuses = async (p: Promise<unknown>, reason: StoreFailure, pattern: RegExp) =>
    assert.rejects(p, (e: unknown) => {
      assert.ok(isStoreError(e, reason), `expected StoreError "${reason}", got ${String(e)}`);
      assert.match(e.message, pattern);
      return true;
    });

  describe("migrateToPostgres", () => {
    it("copies every kind of row: PostgreSQL's ports give back what SQLite's did, every table matches, and a second run copies nothing", async () => {
      const { path, expected } = await source();
      const to = await (await server()).newDatabase();
      const first = await migrateToPostgres({ from: path, to });
      everyTableMatches(first);
      for (const t of first.tables) {
        assert.ok(t.sqlite > 0, `the test fills ${t.table}`);
        assert.equal(t.copied, t.sqlite, `${t.table}: every row copied`);
      }
      assert.deepEqual(await readPostgres(to), expected);
      const pg = await openPostgresStore(to);
      try {
        assert.deepEqual((await pg.latest.latestSince(0, 10)).rows, [], "the single watcher's newest results stay behind: a fleet's watchers write their own");
      } finally {
        await pg.end();
      }

      const second = await migrateToPostgres({ from: path, to });
      everyTableMatches(second);
      assert.deepEqual(second.tables.map((t) => [t.table, t.copied]), TABLES.map((t) => [t.name, 0]));
      assert.deepEqual(await readPostgres(to), expected);
    });

    it("completes a run stopped after the first batch of any table, copying nothing twice", async () => {
      const { path, expected } = await source();
      const to = await (await server()).newDatabase();
      const stopped = new Error("stopped");
      /** What the previous run had copied of the table it was stopped in. */
      let previous: { table: string; copied: number; total: number } | null = null;
      for (const t of TABLES) {
        const seen = new Map<string, { copied: number; total: number }>();
        await assert.rejects(
          migrateToPostgres({
            from: path,
            to,
            batchRows: 7,
            onBatch: (p) => {
              seen.set(p.table, { copied: p.copied, total: p.total });
              if (p.table === t.name) throw stopped;
            },
          }),
          (e) => e === stopped,
        );
        for (const [table, { copied }] of seen) {
          if (table === t.name) continue;
          // The table the previous run stopped in is completed now; every earlier one was complete already.
          const rest = table === previous?.table ? previous.total - previous.copied : 0;
          assert.equal(copied, rest, `${table} in the run stopped at ${t.name}`);
        }
        const here = seen.get(t.name)!;
        assert.equal(here.copied, Math.min(7, here.total), `${t.name}: its first batch`);
        previous = { table: t.name, ...here };
      }
      const last = await migrateToPostgres({ from: path, to, batchRows: 7 });
      everyTableMatches(last);
      // It completes the table the last stopped run was in, and copies nothing else.
      assert.equal(last.copied, previous!.total - previous!.copied);
      assert.deepEqual(last.tables.filter((t) => t.copied > 0).map((t) => t.table), previous!.total > previous!.copied ? [previous!.table] : []);
      assert.deepEqual(await readPostgres(to), expected);
    });

    it("lets the watcher write the file during a copy without waiting, and copies the file as it was when the run started", async () => {
      const { path } = await source();
      const busy = tmp.file("busy.db");
      copyFileSync(path, busy);
      const writer = openSqliteStore(busy);
      const to = await (await server()).newDatabase();
      let written = 0;
      const writes: Promise<void>[] = [];
      try {
        const before = (await writer.probes.recentProbes("vultr-1f0c", 1))[0]!.at;
        const r = await migrateToPostgres({
          from: busy,
          to,
          batchRows: 50,
          onBatch: () => {
            // better-sqlite3 is synchronous: a write that had to wait for the copy would time out (SQLITE_BUSY) here.
            writes.push(writer.probes.appendProbes([probe("vultr-1f0c", before + 1 + written++)]));
          },
        });
        await Promise.all(writes);
        everyTableMatches(r);
        const probes = r.tables.find((t) => t.table === "probes")!;
        assert.ok(written > 5);
        const db = new Database(busy, { readonly: true });
        assert.equal(db.prepare("SELECT count(*) FROM probes").pluck().get(), probes.sqlite + written, "the writes landed in the file");
        db.close();
        const again = await migrateToPostgres({ from: busy, to });
        everyTableMatches(again);
        assert.equal(again.tables.find((t) => t.table === "probes")!.copied, written, "the next run copies what was written meanwhile");
      } finally {
        writer.close();
      }
    });

    it("refuses a PostgreSQL database of a newer nodeward, and copies nothing into it", async () => {
      const { path } = await source();
      const to = await (await server()).newDatabase();
      const c = new Client({ connectionString: to });
      await c.connect();
      try {
        await c.query("CREATE TABLE nodeward_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        await c.query("INSERT INTO nodeward_schema (version, name) VALUES (99, 'future')");
        await refuses(migrateToPostgres({ from: path, to }), "schema-too-new", /schema version 99/);
        const tables = await c.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
        assert.equal(tables.rows[0].n, 1, "nothing but the version table");
      } finally {
        await c.end();
      }
    });

    it("refuses a file that is missing, not nodeward's, or at an older schema, before connecting", async () => {
      const to = "postgres://nobody@127.0.0.1:1/none";
      await refuses(migrateToPostgres({ from: tmp.file("missing.db"), to }), "unavailable", /no such file/);
      const other = tmp.file("other.db");
      new Database(other).exec("CREATE TABLE t (x)");
      await refuses(migrateToPostgres({ from: other, to }), "not-nodeward", /not nodeward's/);
      const old = tmp.file("old.db");
      const db = new Database(old);
      migrateSqlite(db, MIGRATIONS.slice(0, 3), old);
      db.close();
      await refuses(migrateToPostgres({ from: old, to }), "invalid-argument", /schema version 3, older/);
    });

    it("never changed the SQLite file, which the watcher then opens and writes as before", async () => {
      const { path, hash } = await source();
      assert.equal(sha(path), hash);
      const s = openSqliteStore(path);
      try {
        await s.probes.appendProbes([probe("vultr-1f0c", T0 + 10 * 3_600_000)]);
        assert.equal((await s.probes.recentProbes("vultr-1f0c", 1))[0]!.at, T0 + 10 * 3_600_000);
      } finally {
        s.close();
      }
    });
  });
});
