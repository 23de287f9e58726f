import type { Config } from "../config/schema.ts";
import { resolveSecret } from "../config/secret-ref.ts";
import { AppError } from "../core/errors.ts";
import type { Redactor } from "../core/redact.ts";
import { readStorePassword } from "./store-password.ts";

/**
 * The PostgreSQL database a command writes to (`store migrate --to URL`), and its password.
 * The password never comes from the command line, where every user of the machine can read it
 * (ps, /proc, shell history): a URL carrying one is refused, with a message that does not repeat
 * it. It comes from --password-env NAME or --password-file PATH; else from the configuration's
 * store.password when store.url names the same database (same user, host, port and database);
 * else there is none (peer, trust or certificate authentication).
 */

export type PasswordSource = "--password-env" | "--password-file" | "store.password" | "none";

export interface TargetRequest {
  /** --to, or the configuration's store.url when --to is not given. */
  to: string | undefined;
  /** The option that gave `to`, for messages (default "--to"). */
  flag?: string;
  passwordEnv?: string;
  passwordFile?: string;
}

export interface Target {
  url: string;
  password: string | undefined;
  passwordFrom: PasswordSource;
  warnings: string[];
}

const PASSWORD_HINT = "give it with --password-env NAME or --password-file PATH (chmod 600); a command line is readable by every user of this machine";

export async function resolveTarget(req: TargetRequest, config: Config | null, env: Readonly<Record<string, string | undefined>>, redactor: Redactor): Promise<Target> {
  const fromConfig = req.to === undefined;
  const url = req.to ?? config?.store.url;
  const flag = req.flag ?? "--to";
  if (url === undefined) throw new AppError("USAGE", `no PostgreSQL database: give ${flag} postgres://USER@HOST:PORT/DATABASE (or set store.url in the configuration)`);
  const parsed = checkUrl(url, redactor, flag);
  if (req.passwordEnv !== undefined && req.passwordFile !== undefined) throw new AppError("USAGE", "give the password one way: --password-env or --password-file, not both");
  if (req.passwordEnv !== undefined) return { url, passwordFrom: "--password-env", ...(await resolve({ env: req.passwordEnv }, "--password-env", env, redactor)) };
  if (req.passwordFile !== undefined) return { url, passwordFrom: "--password-file", ...(await resolve({ file: req.passwordFile }, "--password-file", env, redactor)) };
  const store = config?.store;
  if (store?.password !== undefined && store.url !== undefined && (fromConfig || sameDatabase(parsed, new URL(store.url)))) {
    const { password, warnings } = await readStorePassword(store, env, redactor);
    return { url, password, passwordFrom: "store.password", warnings };
  }
  return { url, password: undefined, passwordFrom: "none", warnings: [] };
}

/** Same user, host (in any case: postgres:// URLs keep it as written), port (5432 when not written) and database: the configuration's password is for it. */
export function sameDatabase(a: URL, b: URL): boolean {
  const port = (u: URL) => (u.port === "" ? "5432" : u.port);
  const host = (u: URL) => u.hostname.toLowerCase();
  const db = (u: URL) => decodeURIComponent(u.pathname.replace(/^\//, ""));
  return decodeURIComponent(a.username) === decodeURIComponent(b.username) && host(a) === host(b) && port(a) === port(b) && db(a) === db(b);
}

/** The URL, checked like store.url (fleet/config.ts); no message quotes it, since it may hold a password. */
function checkUrl(url: string, redactor: Redactor, flag: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError("USAGE", `${flag} is not a URL: write postgres://USER@HOST:PORT/DATABASE`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new AppError("USAGE", `${flag} has the scheme ${parsed.protocol.replace(/:$/, "")}://, not PostgreSQL's: write postgres://USER@HOST:PORT/DATABASE`);
  }
  const inUrl = parsed.password !== "" ? parsed.password : parsed.searchParams.get("password");
  if (inUrl !== null && inUrl !== "") {
    redactor.add(inUrl);
    redactor.add(safeDecode(inUrl));
    throw new AppError("USAGE", `the ${flag} URL carries a password, which is refused on the command line (it was not used)`, { hint: `remove it from the URL and ${PASSWORD_HINT}` });
  }
  if (parsed.hostname === "" && !parsed.searchParams.has("host")) throw new AppError("USAGE", `${flag} names no host: write postgres://USER@HOST:PORT/DATABASE`);
  return parsed;
}

async function resolve(ref: { env: string } | { file: string }, what: string, env: Readonly<Record<string, string | undefined>>, redactor: Redactor) {
  const { value, warnings } = await resolveSecret(ref, what, env, redactor);
  return { password: value, warnings };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
