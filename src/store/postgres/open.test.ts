import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Client, escapeLiteral } from "pg";
import { isStoreError, type StoreFailure } from "../errors.ts";
import { netviewRecord, probe, T0 } from "../contracts/samples.ts";
import { PG_MIGRATIONS } from "./migrations/index.ts";
import { openPostgresStore, type PostgresStoreOptions } from "./open.ts";
import { postgresSuites, type PostgresServer } from "./server.test-support.ts";

/** Opening the PostgreSQL store: migrations (once, however many open at once), refusals, and a server that fails. */
postgresSuites("PostgreSQL store opening", (server) => {
  const sql = async (url: string, text: string, params: unknown[] = []) => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(text, params)).rows;
    } finally {
      await c.end();
    }
  };
  /** Rejects with a StoreError of `reason` whose message (and its cause's) never holds `secret`. */
  const refuses = async (p: Promise<unknown>, reason: StoreFailure, secret?: string): Promise<string> => {
    let message = "";
    await assert.rejects(p, (e: unknown) => {
      assert.ok(isStoreError(e, reason), `expected StoreError "${reason}", got ${String(e)}`);
      message = `${e.message} ${String((e.cause as Error | undefined)?.message ?? "")} ${e.hint ?? ""}`;
      return true;
    });
    if (secret !== undefined) assert.ok(!message.includes(secret), `the message holds the password: ${message}`);
    return message;
  };
  const withRole = async (s: PostgresServer, role: string, password: string) => {
    await s.admin(`CREATE ROLE ${role} LOGIN PASSWORD ${escapeLiteral(password)}`);
    const url = await s.newDatabase();
    await sql(url, `GRANT ALL ON SCHEMA public TO ${role}`);
    return url.replace("postgres://postgres@", `postgres://${role}@`);
  };

  describe("openPostgresStore", () => {
    it("migrates an empty database to the newest schema once, when three watchers start together", async () => {
      const url = await (await server()).newDatabase();
      const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(url)));
      try {
        const rows = await sql(url, "SELECT version, name FROM nodeward_schema ORDER BY version");
        assert.deepEqual(rows, PG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
        await Promise.all(stores.map((s, i) => s.probes.appendProbes([probe("a", T0 + i)], `v${i}`)));
        assert.equal((await stores[0]!.probes.recentProbes("a", 10)).length, 3);
      } finally {
        await Promise.all(stores.map((s) => s.end()));
      }
    });

    it("opens a database at the newest version without changing it, and keeps what it holds", async () => {
      const url = await (await server()).newDatabase();
      const first = await openPostgresStore(url);
      await first.probes.appendProbes([probe("a", T0)]);
      await first.end();
      const again = await openPostgresStore(url);
      try {
        assert.equal((await again.probes.recentProbes("a", 10)).length, 1);
        assert.equal((await sql(url, "SELECT count(*)::int AS n FROM nodeward_schema"))[0]?.n, PG_MIGRATIONS.length);
      } finally {
        await again.end();
      }
    });

    it("refuses a database written by a newer nodeward, changing nothing", async () => {
      const url = await (await server()).newDatabase();
      await (await openPostgresStore(url)).end();
      await sql(url, "INSERT INTO nodeward_schema (version, name) VALUES ($1, 'from-the-future')", [PG_MIGRATIONS.length + 1]);
      const message = await refuses(openPostgresStore(url), "schema-too-new");
      assert.match(message, new RegExp(`at schema version ${PG_MIGRATIONS.length + 1} but this nodeward knows versions up to ${PG_MIGRATIONS.length}`));
    });

    it("refuses another application's database before creating anything in it", async () => {
      const url = await (await server()).newDatabase();
      await sql(url, "CREATE TABLE customers (id int)");
      await refuses(openPostgresStore(url), "not-nodeward");
      assert.deepEqual(await sql(url, "SELECT to_regclass('nodeward_schema') AS t"), [{ t: null }]);
    });

    it("takes the password apart from the URL, and refuses a wrong one without ever saying it", async () => {
      const s = await server();
      const url = await withRole(s, "watcher1", "s3cret-pw'\"x");
      const store = await openPostgresStore(url, { password: "s3cret-pw'\"x" });
      await store.end();
      const wrong = "wr0ng-Pässwort/@:";
      await refuses(openPostgresStore(url, { password: wrong }), "unavailable", wrong);
      const inUrl = new URL(url);
      inUrl.password = wrong;
      const message = await refuses(openPostgresStore(inUrl.href), "unavailable", wrong);
      assert.ok(!message.includes(encodeURIComponent(wrong)), message);
      assert.match(message, /postgres:\/\/watcher1@127\.0\.0\.1:\d+\/nw_\d+/, "it names the server");
    });

    it("says at once that the server asks for a password when none was given, and leaves no socket open", async () => {
      const s = await server();
      const url = await withRole(s, "watcher2", "pw-watcher2");
      const sockets = () => process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap").length;
      const before = sockets();
      const message = await refuses(openPostgresStore(url), "unavailable");
      assert.match(message, /asks for a password, and none was given/);
      // pg itself would leave the socket open until the server's authentication timeout (60 s), and a CLI command with it.
      const until = Date.now() + 2_000;
      while (sockets() > before && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.equal(sockets(), before, "the refused connection is closed");
    });

    it("says the server is unavailable when nothing listens, a database is missing, or the URL is not postgres://", async () => {
      const s = await server();
      const secret = "hunter2-secret";
      const closed = `postgres://postgres:${secret}@127.0.0.1:1/nodeward`;
      const options: PostgresStoreOptions = { connectTimeoutMs: 2_000 };
      assert.match(await refuses(openPostgresStore(closed, options), "unavailable", secret), /ECONNREFUSED|connect/);
      await refuses(openPostgresStore(s.url.replace(/\/postgres$/, "/no_such_db"), options), "unavailable");
      await refuses(openPostgresStore(`mysql://root:${secret}@127.0.0.1/x`), "invalid-argument", secret);
      await refuses(openPostgresStore(`not a url ${secret}`), "invalid-argument", secret);
    });

    it("fails while the server is down, without hanging, and works again when it is back", async () => {
      const s = await server();
      const store = await openPostgresStore(await s.newDatabase(), { connectTimeoutMs: 2_000, statementTimeoutMs: 5_000 });
      try {
        await store.probes.appendProbes([probe("a", T0)]);
        await s.down();
        try {
          await refuses(store.probes.appendProbes([probe("a", T0 + 1)]), "unavailable");
          await refuses(store.probes.recentProbes("a", 10), "unavailable");
          await refuses(store.netview.saveNetview([netviewRecord("a")]), "unavailable");
          await refuses(store.netview.latestNetview(), "unavailable");
          await refuses(store.netview.pruneNetview([]), "unavailable");
        } finally {
          await s.up();
        }
        await store.probes.appendProbes([probe("a", T0 + 2)]);
        await store.netview.saveNetview([netviewRecord("a")]);
        assert.deepEqual(await store.netview.latestNetview(), [netviewRecord("a")]);
        assert.deepEqual((await store.probes.recentProbes("a", 10)).map((p) => p.at), [T0 + 2, T0]);
      } finally {
        await store.end();
      }
    });

    it("rejects calls after close as unavailable; close and end may be called again", async () => {
      const store = await openPostgresStore(await (await server()).newDatabase());
      store.close();
      store.close();
      await store.end();
      await refuses(store.probes.recentProbes("a", 1), "unavailable");
      await refuses(store.outbox.markSending(1, T0), "unavailable");
    });
  });
});
