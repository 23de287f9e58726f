import assert from "node:assert/strict";
import { execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { Client, escapeLiteral } from "pg";
import { minutes, T0 } from "../src/store/contracts/samples.ts";
import { fillStore } from "../src/store/migrate-to-postgres/fill.test-support.ts";
import { TABLES } from "../src/store/migrate-to-postgres/tables.ts";
import { postgresSuites, type PostgresServer } from "../src/store/postgres/server.test-support.ts";
import { openSqliteAuthStore } from "../src/store/sqlite/auth-store.ts";
import { openSqliteStore } from "../src/store/sqlite/open.ts";
import { runCli, simConfig } from "./helpers/cli.ts";

/**
 * `nodeward store migrate` as a user runs it: the real bin in a child process, a real SQLite
 * watch database, a real PostgreSQL server with a password-protected role. Where the password
 * comes from (and that it never shows), the printed table and exit codes, and a copy killed with
 * SIGKILL half-way that the next run completes.
 */
const PASSWORD = `it's a "pass" wörd ${"x".repeat(8)}`;
const ROLE = "nw_migrate";

interface JsonResult {
  match: boolean;
  password: string;
  tables: { table: string; sqlite: number; copied: number; postgres: number; match: boolean }[];
}

postgresSuites("nodeward store migrate", (server) => {
  let dir = "";
  let small = "";
  let large = "";
  let largeProbes = 0;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "nodeward-migrate-"));
    small = join(dir, "small.db");
    const s = openSqliteStore(small);
    const auth = openSqliteAuthStore(small);
    await fillStore(Object.assign(s, { auth }));
    auth.close();
    s.close();
    large = join(dir, "large.db");
    const l = openSqliteStore(large);
    for (let n = 0; n < 100; n++) await l.probes.appendProbes(minutes(`node-${n}`, T0, 400, (i) => i % 50 === 0));
    largeProbes = 100 * 400;
    l.close();
    await (await server()).admin(`CREATE ROLE ${ROLE} LOGIN PASSWORD ${escapeLiteral(PASSWORD)}`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** An empty database the role may create tables in; its URL as the role (no password in it) and as the superuser. */
  const database = async (s: PostgresServer) => {
    const admin = await s.newDatabase();
    await sql(admin, `GRANT ALL ON SCHEMA public TO ${ROLE}`);
    return { admin, url: admin.replace("postgres://postgres@", `postgres://${ROLE}@`) };
  };
  const sql = async (url: string, text: string) => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(text)).rows;
    } finally {
      await c.end();
    }
  };
  const migrate = (args: string[], env: NodeJS.ProcessEnv = {}, onSpawn?: (c: ChildProcess) => void) =>
    runCli(["store", "migrate", ...args], { cwd: dir, env: { NW_PG: PASSWORD, ...env }, timeoutMs: 120_000, ...(onSpawn === undefined ? {} : { onSpawn }) });
  const noPassword = (text: string) => {
    assert.ok(!text.includes(PASSWORD), `the password was printed: ${text}`);
    assert.ok(!text.includes("wörd"), `part of the password was printed: ${text}`);
  };

  describe("nodeward store migrate", () => {
    it("copies with the password from --password-env, prints every table matching (exit 0), and copies nothing the second time", async () => {
      const { url } = await database(await server());
      const r = await migrate(["--from", small, "--to", url, "--password-env", "NW_PG"]);
      assert.equal(r.code, 0, r.stderr);
      noPassword(r.stdout + r.stderr);
      assert.match(r.stdout, /password from --password-env/);
      for (const t of TABLES) assert.match(r.stdout, new RegExp(`^${t.name}\\s+[\\d,]+\\s+[\\d,]+\\s+[\\d,]+\\s+yes$`, "m"), `${t.name} row`);
      assert.match(r.stdout, /every table matches/);

      const again = await migrate(["--json", "--from", small, "--to", url, "--password-env", "NW_PG"]);
      assert.equal(again.code, 0, again.stderr);
      const json = JSON.parse(again.stdout) as JsonResult;
      assert.equal(json.match, true);
      assert.deepEqual(json.tables.map((t) => [t.table, t.copied, t.sqlite === t.postgres]), TABLES.map((t) => [t.name, 0, true]));
    });

    it("takes store.password from the configuration for store.url's database, and for no other", async () => {
      const s = await server();
      const { url } = await database(s);
      const other = await database(s);
      writeFileSync(join(dir, "nodeward.yaml"), simConfig("http://127.0.0.1:1", `store:\n  url: "${url}"\n  password: { env: NW_PG }\n`));
      try {
        const same = await migrate(["--json", "--from", small]);
        assert.equal(same.code, 0, same.stderr);
        assert.equal((JSON.parse(same.stdout) as JsonResult).password, "store.password");
        const started = Date.now();
        const elsewhere = await migrate(["--from", small, "--to", other.url]);
        assert.equal(elsewhere.code, 1);
        assert.match(elsewhere.stderr, /asks for a password, and none was given/);
        assert.ok(Date.now() - started < 20_000, "it says so at once");
        assert.equal((await sql(other.admin, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'"))[0].n, 0, "nothing created there");
        noPassword(same.stdout + same.stderr + elsewhere.stdout + elsewhere.stderr);
      } finally {
        rmSync(join(dir, "nodeward.yaml"));
      }
    });

    it("refuses a --to URL carrying a password, and never repeats it", async () => {
      const { admin, url } = await database(await server());
      const secret = "Sup3r-S3cret-in-URL";
      for (const to of [url.replace(`${ROLE}@`, `${ROLE}:${secret}@`), `${url}?password=${secret}`]) {
        const r = await migrate(["--from", small, "--to", to]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /carries a password/);
        assert.match(r.stderr, /--password-env|--password-file/);
        assert.ok(!(r.stdout + r.stderr).includes(secret), r.stderr);
      }
      assert.equal((await sql(admin, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'"))[0].n, 0);
    });

    it("fails with exit 1 on a wrong password, saying the server refused it, never printing it", async () => {
      const { url } = await database(await server());
      const wrong = `${PASSWORD}-but-wrong`;
      const r = await migrate(["--from", small, "--to", url, "--password-env", "WRONG"], { WRONG: wrong });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /password authentication failed/);
      noPassword(r.stdout + r.stderr);
      assert.ok(!r.stderr.includes("but-wrong"), r.stderr);
    });

    it("copies as the watchers' role of packaging/fleet/roles.sql once store init created the schema as the owner", async () => {
      const s = await server();
      const roles = new URL("../packaging/fleet/roles.sql", import.meta.url).pathname;
      await promisify(execFile)("psql", [s.url, "-q", "-v", "ON_ERROR_STOP=1", "-v", "owner_password=owner pw", "-v", `watch_password=${PASSWORD}`, "-f", roles]);
      const at = (user: string) => `postgres://${user}@127.0.0.1:${s.port}/nodeward`;
      const init = await runCli(["store", "init", "--url", at("nodeward_owner"), "--password-env", "OWNER_PW"], { env: { OWNER_PW: "owner pw" } });
      assert.equal(init.code, 0, init.stderr);
      const r = await migrate(["--json", "--from", small, "--to", at("nodeward_watch"), "--password-env", "NW_PG"]);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout) as JsonResult;
      assert.equal(json.match, true);
      assert.ok(json.tables.every((t) => t.copied === t.sqlite && t.sqlite > 0));
    });

    it("completes, with every table matching, after a run killed with SIGKILL half-way through the probes", async () => {
      const { admin, url } = await database(await server());
      const probes = async () => Number((await sql(admin, "SELECT count(*)::int AS n FROM probes"))[0].n);
      let child: ChildProcess | undefined;
      const run = migrate(["--from", large, "--to", url, "--password-env", "NW_PG", "--batch", "100"], {}, (c) => (child = c));
      // Kill it as soon as the first batches are in: the table exists once the schema is migrated.
      for (;;) {
        const n = await probes().catch(() => 0);
        if (n > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      child!.kill("SIGKILL");
      const killed = await run;
      assert.equal(killed.signal, "SIGKILL");
      const left = await probes();
      assert.ok(left > 0 && left < largeProbes, `killed half-way: ${left} of ${largeProbes} probes copied`);

      const r = await migrate(["--json", "--from", large, "--to", url, "--password-env", "NW_PG"]);
      assert.equal(r.code, 0, r.stderr);
      const json = JSON.parse(r.stdout) as JsonResult;
      assert.equal(json.match, true);
      const p = json.tables.find((t) => t.table === "probes")!;
      assert.deepEqual([p.sqlite, p.copied, p.postgres], [largeProbes, largeProbes - left, largeProbes]);
    });
  });
});
