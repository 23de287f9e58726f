import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { requirePostgres, startPostgres } from "../src/store/postgres/server.test-support.ts";
import { runCli } from "./helpers/cli.ts";

/**
 * TLS to the database, as docs/fleet.md sets it up: a server certificate from a CA (made here by
 * openssl), `hostssl` for the watchers' role, and `?sslmode=verify-full&sslrootcert=CA` in
 * store.url. The right CA connects; another CA, or no TLS at all, is refused with a clear message.
 */

const run = promisify(execFile);

async function makeCa(dir: string, name: string): Promise<{ crt: string; key: string }> {
  const crt = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  await run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${name}`, "-keyout", key, "-out", crt]);
  return { crt, key };
}

async function serverCert(dir: string, ca: { crt: string; key: string }): Promise<{ certFile: string; keyFile: string }> {
  const keyFile = join(dir, "server.key");
  const csr = join(dir, "server.csr");
  const certFile = join(dir, "server.crt");
  const ext = join(dir, "san.ext");
  writeFileSync(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", keyFile, "-out", csr]);
  await run("openssl", ["x509", "-req", "-in", csr, "-CA", ca.crt, "-CAkey", ca.key, "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", certFile]);
  return { certFile, keyFile };
}

describe("TLS to a fleet's PostgreSQL", () => {
  it("connects with sslmode=verify-full and the right CA, and refuses another CA or no TLS", async (t) => {
    if (!requirePostgres(t)) return;
    if (spawnSync("openssl", ["version"]).status !== 0) {
      if (process.env.CI === "true") assert.fail("CI must run the TLS test, but openssl is missing (apt-get install openssl)");
      return t.skip("needs openssl to make the certificates (apt-get install openssl)");
    }
    const dir = mkdtempSync(join(tmpdir(), "nodeward-tls-"));
    const ca = await makeCa(dir, "fleet-ca");
    const other = await makeCa(dir, "other-ca");
    const server = await startPostgres({ tls: await serverCert(dir, ca) });
    try {
      await server.admin("CREATE ROLE nodeward_owner LOGIN PASSWORD 'owner pw'");
      await server.admin("CREATE DATABASE nodeward OWNER nodeward_owner");
      const url = (query: string) => `postgres://nodeward_owner@127.0.0.1:${server.port}/nodeward${query}`;
      const init = (u: string) => runCli(["store", "init", "--url", u, "--password-env", "PW"], { env: { PW: "owner pw" } });

      const ok = await init(url(`?sslmode=verify-full&sslrootcert=${encodeURIComponent(ca.crt)}`));
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /the schema is up to date/);

      const wrongCa = await init(url(`?sslmode=verify-full&sslrootcert=${encodeURIComponent(other.crt)}`));
      assert.equal(wrongCa.code, 1);
      assert.match(wrongCa.stderr, /is unavailable: its TLS certificate is not trusted: unable to verify/);
      assert.doesNotMatch(wrongCa.stderr, /owner pw|\n\s+at /);

      const plain = await init(url("?sslmode=disable"));
      assert.equal(plain.code, 1);
      assert.match(plain.stderr, /no encryption|pg_hba/i);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
