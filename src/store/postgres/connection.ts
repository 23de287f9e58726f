import type { Client, Pool, PoolConfig } from "pg";
import type { PgModule } from "./pg-module.ts";
import { StoreError } from "../errors.ts";

/** How the store reaches PostgreSQL; every field has a default fit for a watcher. */
export interface ConnectionOptions {
  /** The password, when the URL has none (read by the caller from an env var or a file, never the command line). */
  password?: string;
  /** Connections held at most (default 4: a watcher writes a few transactions a minute). */
  poolSize?: number;
  /** How long to wait for a connection to be accepted (default 5 s). */
  connectTimeoutMs?: number;
  /** The server cancels a statement running longer (default 30 s: an hourly compaction of a large fleet fits). */
  statementTimeoutMs?: number;
}

export const DEFAULT_POOL_SIZE = 4;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
/** Beyond the statement timeout, how long the client waits for an answer before it gives the connection up (a cut network sends none). */
const READ_GRACE_MS = 5_000;

/** The server, for messages: "postgres://user@host:port/db", never the password. */
export function describeTarget(url: URL): string {
  const user = url.username === "" ? "" : `${decodeURIComponent(url.username)}@`;
  return `postgres://${user}${url.host}${url.pathname}`;
}

/**
 * Checks that `url` is a postgres:// URL. The URL itself never appears in the message: it may
 * carry a password.
 */
export function parseStoreUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError("invalid-argument", "the store URL is not a URL; expected postgres://USER@HOST:PORT/DATABASE", {
      hint: "give the password in its own setting (an env var or a file), not inside the URL",
    });
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new StoreError("invalid-argument", `the store URL has the scheme ${JSON.stringify(parsed.protocol)}; expected postgres://USER@HOST:PORT/DATABASE`);
  }
  return parsed;
}

/** The password inside the URL, decoded, if any (only so that no message can carry it). */
export function urlPassword(url: URL): string | undefined {
  if (url.password === "") return undefined;
  try {
    return decodeURIComponent(url.password);
  } catch {
    throw new StoreError("invalid-argument", "the password in the store URL is not valid percent-encoding", {
      hint: "give the password in its own setting (an env var or a file), not inside the URL",
    });
  }
}

/**
 * The pool, configured so that a database that is down or slow fails fast and loudly instead of
 * hanging a watcher: a connect timeout, a server-side statement timeout, a client-side read
 * timeout a little longer (a cut network never answers; the connection is then dropped), TCP
 * keep-alive, and idle-in-transaction sessions ended by the server (a watcher stopped with
 * SIGSTOP in a transaction must not hold its locks for ever).
 *
 * BIGINT columns (ms timestamps, counts, ids) come back as numbers: every value the store writes
 * is a safe integer. The password given apart is put into the URL object handed to pg (pg lets
 * a URL's empty password override a separate one), and never into a message.
 */
export function createPool(pg: PgModule, url: URL, opts: ConnectionOptions): Pool {
  const { types } = pg;
  const withPassword = new URL(url.href);
  if (opts.password !== undefined && opts.password !== "") withPassword.password = opts.password;
  const statementTimeout = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const config: PoolConfig = {
    connectionString: withPassword.href,
    max: opts.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + READ_GRACE_MS,
    idle_in_transaction_session_timeout: statementTimeout + READ_GRACE_MS,
    keepAlive: true,
    application_name: "nodeward",
    Client: closingClient(pg),
    types: { getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === types.builtins.INT8 ? Number : types.getTypeParser(oid, format))) as typeof types.getTypeParser },
  };
  const pool = new pg.Pool(config);
  // A pooled connection that breaks while idle (server restart, network cut) is reported here;
  // unhandled, it would kill the process. The next query fails and says why.
  pool.on("error", () => {});
  return pool;
}

/**
 * A connection that failed on OUR side while connecting (the server asked for a password and none
 * was given: pg throws before answering) is closed at once. pg leaves its socket open, and the
 * server keeps it until its authentication timeout (60 s): a CLI command would hang that long
 * before exiting, a watcher would hold one more connection per retry.
 */
function closingClient(pg: PgModule): typeof Client {
  return class ClosingClient extends pg.Client {
    override connect(): Promise<Client>;
    override connect(callback: (err: Error | null, c?: Client) => void): void;
    override connect(callback?: (err: Error | null, c?: Client) => void): Promise<Client> | void {
      const close = () => (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      if (callback === undefined) {
        return super.connect().catch((e: unknown) => {
          close();
          throw e;
        });
      }
      super.connect((err: Error | null) => {
        if (err === null) return callback(null, this);
        close();
        callback(err);
      });
    }
  };
}
