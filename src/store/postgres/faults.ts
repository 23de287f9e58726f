import type { DatabaseError } from "pg";
import { loadedPg } from "./pg-module.ts";
import { Redactor } from "../../core/redact.ts";
import { StoreError } from "../errors.ts";

/**
 * Which PostgreSQL failures are the database's (down, unreachable, refusing us, too slow, a
 * standby after a fail-over) rather than the caller's: they become StoreError "unavailable", so
 * the daemon holds its writes back and retries, as it does for a full disk under SQLite. Text
 * the server cannot keep (a NUL character) is the caller's: "invalid-argument". Anything else is
 * a bug and passes through unchanged.
 *
 * SQLSTATE classes: 08 connection, 28 authorization, 53 resources, 57 operator intervention
 * (shutdown, statement timeout), 3D000 no such database, 25006 read-only transaction,
 * 40001/40P01 serialization failure and deadlock (transient), 55P03 lock not available.
 */
const UNAVAILABLE_CLASSES = ["08", "28", "53", "57"];
const UNAVAILABLE_CODES = new Set(["3D000", "25006", "40001", "40P01", "55P03"]);
/** Character not in repertoire, untranslatable character, numeric value out of range. */
const INVALID_CODES = new Set(["22021", "22P05", "22003"]);
/** Node's socket errors, and pg's own (no code) when a connection breaks, times out or the pool has ended. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED"]);
/** pg's own words when the server asks for a password and it has none to give. */
const NO_PASSWORD = /client password must be a (non-empty )?string|password must be a string/i;
const PG_CLIENT_FAILURE = /connection terminated|connection timeout|timeout exceeded|query read timeout|not queryable|after calling end on the pool|connection ended|socket/i;

export interface FaultContext {
  /** "postgres://user@host:port/db" (describeTarget). */
  target: string;
  /** The password, so that no message can carry it. */
  password: string | undefined;
}

/**
 * For the daemon's write-behind (watch/write-behind.ts `isStorageFault`): the database is down,
 * unreachable or too slow, so writes are held back and retried. "fenced" is not one: it means
 * this watcher lost the lease, which no retry fixes.
 */
export function isStorageFault(e: unknown): boolean {
  return e instanceof StoreError && e.reason === "unavailable";
}

export function isServerError(e: unknown): e is DatabaseError {
  const pg = loadedPg();
  return pg !== undefined && e instanceof pg.DatabaseError;
}

/** The failure as the store reports it (see above); `e` itself when it is neither the database's nor the caller's. */
export function translateFault(e: unknown, ctx: FaultContext): unknown {
  if (e instanceof StoreError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  const redactor = new Redactor();
  redactor.add(ctx.password);
  const clean = redactor.redact(message);
  // The cause carries the code and the cleaned message only: the original may hold the URL.
  const cause = Object.assign(new Error(clean), { code });
  if (isServerError(e) && typeof code === "string") {
    if (INVALID_CODES.has(code)) return new StoreError("invalid-argument", `PostgreSQL refused a value: ${clean}`, { cause });
    if (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_CLASSES.includes(code.slice(0, 2))) return unavailable(ctx.target, `${clean} (SQLSTATE ${code})`, cause);
    return e;
  }
  if (NO_PASSWORD.test(message)) {
    return new StoreError("unavailable", `PostgreSQL at ${ctx.target} asks for a password, and none was given`, {
      cause,
      hint: "set store.password ({env: NAME} or {file: PATH}); `nodeward store migrate` also takes --password-env or --password-file",
    });
  }
  if ((typeof code === "string" && NETWORK_CODES.has(code)) || PG_CLIENT_FAILURE.test(message)) return unavailable(ctx.target, clean, cause);
  if (typeof code === "string" && TLS_CODES.test(code)) {
    return new StoreError("unavailable", `PostgreSQL at ${ctx.target} is unavailable: its TLS certificate is not trusted: ${clean}`, {
      cause,
      hint: "check sslrootcert in store.url (the CA that signed the server's certificate) and that the URL's host is a name the certificate holds",
    });
  }
  return e;
}

/** Node's TLS verification failures: a certificate from another CA, expired, self-signed, or for another host name. */
const TLS_CODES = /^(UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_)/;

function unavailable(target: string, why: string, cause: Error): StoreError {
  return new StoreError("unavailable", `PostgreSQL at ${target} is unavailable: ${why}`, {
    cause,
    hint: "check that the server runs, is reachable from this host and accepts this user and password",
  });
}
