import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it, type TestContext } from "node:test";
import { promisify } from "node:util";
import { Client } from "pg";

/**
 * A real PostgreSQL server for tests (unit tests in src/ and integration tests in test/): initdb
 * and pg_ctl of the distribution's PostgreSQL, a data directory and a unix socket directory in a
 * fresh temp dir, listening on 127.0.0.1 on a free port. When the tests run as root (CI), the
 * server runs as the unprivileged `postgres` user (PostgreSQL refuses to run as root). fsync is
 * off (on with `durable`, for bench:fleet): a test server need not survive power loss. The
 * superuser connects without a password on loopback; any other role must give its password
 * (scram-sha-256), so a test can check a wrong one is refused. One server per test file;
 * `newDatabase` gives each test an empty database.
 */

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres: the superuser on the maintenance database. */
  url: string;
  port: number;
  /** Creates an empty database; resolves to its URL (superuser, no password). */
  newDatabase(): Promise<string>;
  /** One statement as the superuser on the maintenance database (a test creating a role, say). */
  admin(sql: string): Promise<void>;
  /** Stops the server as a crash would (immediate), keeping its data: a database that went away. */
  down(): Promise<void>;
  /** Starts it again on the same port, after `down`. */
  up(): Promise<void>;
  /** Stops the server at once (immediate: a test server has nothing to flush) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const run = promisify(execFile);
const BIN_CANDIDATES = ["/usr/lib/postgresql"];

function binDir(): string | null {
  for (const root of BIN_CANDIDATES) {
    const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
    for (const v of versions) {
      const dir = join(root, v, "bin");
      if (existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir;
    }
  }
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir !== "" && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir;
  }
  return null;
}

const asRoot = () => process.getuid?.() === 0;

function postgresUser(): { uid: number; gid: number } | null {
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** null when a server can be started here, else one line saying why not. */
export function postgresPrerequisite(): string | null {
  if (binDir() === null) return "PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)";
  if (asRoot()) {
    if (postgresUser() === null) return "running as root, but there is no `postgres` user to run the server as";
    if (spawnSync("runuser", ["--help"], { stdio: "ignore" }).status !== 0) return "running as root, but runuser is missing";
  }
  return null;
}

/** Skips the test (outside CI) or fails it (CI=true) when PostgreSQL cannot be started here. */
export function requirePostgres(t: TestContext): boolean {
  const reason = postgresPrerequisite();
  if (reason === null) return true;
  if (process.env.CI === "true") assert.fail(`CI must run the PostgreSQL tests, but: ${reason}`);
  t.skip(`needs PostgreSQL: ${reason}`);
  return false;
}

/**
 * For a test file: registers `suites` with a lazily started server shared by the whole file (and
 * stopped after it), or, when PostgreSQL is missing, one test that skips (fails in CI) saying why.
 */
export function postgresSuites(title: string, suites: (server: () => Promise<PostgresServer>) => void): void {
  if (postgresPrerequisite() !== null) {
    it(`${title}: needs PostgreSQL`, (t) => void requirePostgres(t));
    return;
  }
  let started: Promise<PostgresServer> | null = null;
  after(async () => {
    if (started !== null) await (await started).stop();
  });
  suites(() => (started ??= startPostgres()));
}

export interface StartPostgresOptions {
  /**
   * Listen on this address too (one the test made, say a veth's end in the root namespace), for
   * clients in other network namespaces; the superuser connects from `clients` (CIDRs) without a
   * password, as on loopback, and nobody else may connect from there.
   */
  alsoListen?: { address: string; clients: readonly string[] };
  /** TLS with this certificate and key (PEM files): roles other than the superuser must then connect over TLS (hostssl). */
  tls?: { certFile: string; keyFile: string };
  /**
   * Production-like durability (bench:fleet): fsync and full-page writes on and PostgreSQL's default
   * shared_buffers (128 MB), so that writes cost what they cost on a real server. Default false:
   * a test server need not survive power loss, and fsync off keeps the tests fast.
   */
  durable?: boolean;
}

export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = binDir();
  if (bin === null) throw new Error(postgresPrerequisite() ?? "no PostgreSQL");
  const dir = mkdtempSync(join(tmpdir(), "nodeward-pg-"));
  const data = join(dir, "data");
  const owner = asRoot() ? postgresUser() : null;
  if (owner !== null) chownSync(dir, owner.uid, owner.gid);
  const as = (cmd: string, args: string[]): [string, string[]] => (owner === null ? [join(bin, cmd), args] : ["runuser", ["-u", "postgres", "--", join(bin, cmd), ...args]]);
  const pgCtl = (...args: string[]) => as("pg_ctl", ["-D", data, ...args]);

  let running = false;
  const stopSync = () => {
    if (running) spawnSync(...pgCtl("stop", "-m", "immediate", "-w"), { stdio: "ignore" });
    running = false;
    rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", stopSync);
  try {
    await run(...as("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]));
    const hba = join(data, "pg_hba.conf");
    const remote = (opts.alsoListen?.clients ?? []).map((c) => `host all postgres ${c} trust\n`).join("");
    writeFileSync(hba, `local all all trust\nhost all postgres 127.0.0.1/32 trust\n${opts.tls === undefined ? "host" : "hostssl"} all all 127.0.0.1/32 scram-sha-256\n${remote}`, { mode: 0o600 });
    if (owner !== null) chownSync(hba, owner.uid, owner.gid);
    const tls: string[] = [];
    if (opts.tls !== undefined) {
      // The server reads its key only when it is private to the server's user.
      for (const [from, name, mode] of [[opts.tls.certFile, "server.crt", 0o644], [opts.tls.keyFile, "server.key", 0o600]] as const) {
        writeFileSync(join(dir, name), readFileSync(from), { mode });
        if (owner !== null) chownSync(join(dir, name), owner.uid, owner.gid);
      }
      tls.push("-c ssl=on", `-c ssl_cert_file=${join(dir, "server.crt")}`, `-c ssl_key_file=${join(dir, "server.key")}`);
    }
    const start = (p: number) => pgCtl("start", "-w", "-t", "60", "-l", join(dir, "server.log"), "-o", [serverOptions(p, dir, opts.alsoListen?.address, opts.durable === true), ...tls].join(" "));
    const port = await startOnFreePort(dir, start);
    running = true;
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    let databases = 0;
    const admin = async (sql: string) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    return {
      url,
      port,
      admin,
      async newDatabase() {
        const name = `nw_${++databases}`;
        await admin(`CREATE DATABASE ${name}`);
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      async down() {
        if (!running) return;
        await run(...pgCtl("stop", "-m", "immediate", "-w"));
        running = false;
      },
      async up() {
        if (running) return;
        await run(...start(port));
        running = true;
      },
      async stop() {
        process.off("exit", stopSync);
        stopSync();
      },
    };
  } catch (e) {
    process.off("exit", stopSync);
    stopSync();
    throw e;
  }
}

/**
 * Loopback only (and `alsoListen`, when given), on `port`, the socket in our dir; unless
 * `durable`, few buffers and fsync off: a test server need not survive power loss.
 * synchronous_commit stays on: a commit must survive the server being killed (down/up), as it
 * does in production.
 */
function serverOptions(port: number, socketDir: string, alsoListen: string | undefined, durable: boolean): string {
  return [
    `-c listen_addresses=${["127.0.0.1", ...(alsoListen === undefined ? [] : [alsoListen])].join(",")}`,
    `-c port=${port}`,
    `-c unix_socket_directories=${socketDir}`,
    ...(durable ? [`-c fsync=on`, `-c full_page_writes=on`, `-c shared_buffers=128MB`] : [`-c fsync=off`, `-c full_page_writes=off`, `-c shared_buffers=32MB`]),
  ].join(" ");
}

/** A port that was free a moment ago can be taken before the server binds it: then another one is tried. */
async function startOnFreePort(dir: string, start: (port: number) => [string, string[]]): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      await run(...start(port));
      return port;
    } catch (e) {
      const log = existsSync(join(dir, "server.log")) ? readFileSync(join(dir, "server.log"), "utf8") : "";
      if (attempt >= 5 || !/could not bind|already in use/i.test(log)) throw new Error(`pg_ctl start failed: ${(e as Error).message}\n${log}`);
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
