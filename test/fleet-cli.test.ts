import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { requirePostgres, startPostgres } from "../src/store/postgres/server.test-support.ts";
import { runCli, tempProject } from "./helpers/cli.ts";

/**
 * The commands beside the daemon, on a fleet's PostgreSQL store: dashboard accounts are kept in
 * it (so every watcher's dashboard knows them), `status` reads it, and the password comes from
 * the environment or a file, never the URL, and never shows up in a message.
 */

const BIN = new URL("../bin/nodeward.js", import.meta.url).pathname;
const SECRET = "s3cret-Пароль-'\"-pw";
const PASSWORD = "correct horse battery staple";

function withInput(args: string[], cwd: string, env: NodeJS.ProcessEnv, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd, NO_COLOR: "1", ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("a fleet's PostgreSQL store from the command line", () => {
  it("keeps dashboard accounts in it and reads status from it, with the password from the environment", async (t) => {
    if (!requirePostgres(t)) return;
    const pg = await startPostgres();
    const p = tempProject();
    try {
      const url = await pg.newDatabase();
      const db = new URL(url).pathname.slice(1);
      await pg.admin(`CREATE ROLE nodeward LOGIN PASSWORD '${SECRET.replace(/'/g, "''")}'`);
      await pg.admin(`ALTER DATABASE "${db}" OWNER TO nodeward`);
      const port = new URL(url).port;
      writeFileSync(p.file, `version: 1
coin: smartcash
nodes: { tags: [smartnode] }
store: { url: "postgres://nodeward@127.0.0.1:${port}/${db}", password: { env: NW_DB_PASSWORD } }
`);
      const env = { NW_DB_PASSWORD: SECRET };
      const added = await withInput(["user", "add", "alice"], p.dir, env, `${PASSWORD}\n${PASSWORD}\n`);
      assert.equal(added.code, 0, added.stderr);
      const list = await runCli(["user", "list", "--json"], { cwd: p.dir, env });
      assert.equal(list.code, 0, list.stderr);
      assert.deepEqual((JSON.parse(list.stdout) as { name: string }[]).map((u) => u.name), ["alice"]);

      const status = await runCli(["status", "--json"], { cwd: p.dir, env });
      assert.equal(status.code, 0, status.stderr);
      const body = JSON.parse(status.stdout) as { database: string; fleet: { leader: string | null; vantages: unknown[] }; nodes: unknown[] };
      assert.equal(body.database, `postgres://nodeward@127.0.0.1:${port}/${db}`);
      assert.deepEqual(body.fleet, { leader: null, vantages: [] });
      assert.deepEqual(body.nodes, []);

      for (const wrong of [{ NW_DB_PASSWORD: "not it" }, {}]) {
        const denied = await runCli(["status"], { cwd: p.dir, env: wrong });
        assert.notEqual(denied.code, 0);
        assert.doesNotMatch(denied.stdout + denied.stderr, /s3cret|Пароль/);
        assert.doesNotMatch(denied.stderr, /\n\s+at /, "no stack trace");
      }
      const file = join(p.dir, "db-password");
      writeFileSync(file, `${SECRET}\n`, { mode: 0o600 });
      writeFileSync(p.file, `version: 1
coin: smartcash
nodes: { tags: [smartnode] }
store: { url: "postgres://nodeward@127.0.0.1:${port}/${db}", password: { file: "${file}" } }
`);
      const fromFile = await runCli(["user", "list"], { cwd: p.dir });
      assert.equal(fromFile.code, 0, fromFile.stderr);
      assert.match(fromFile.stdout, /alice/);
    } finally {
      p.cleanup();
      await pg.stop();
    }
  });
});
