import type { Config } from "../config/schema.ts";
import type { Redactor } from "../core/redact.ts";
import type { Fence } from "../fleet/ports.ts";
import type { PostgresStore } from "../store/postgres/open.ts";
import { readStorePassword } from "./store-password.ts";

/**
 * The PostgreSQL store of store.url, with its password from store.password. Loaded on demand: a
 * single watcher on SQLite never loads the PostgreSQL client. Throws StoreError "unavailable"
 * (the server is down or refuses us; the message names the server, never the password),
 * "schema-too-new", "not-nodeward" or "migration-failed".
 */
export async function openConfiguredPostgres(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
  redactor: Redactor,
  opts: { fence?: () => Fence | null; warn?: (line: string) => void } = {},
): Promise<PostgresStore> {
  const url = config.store.url;
  if (url === undefined) throw new Error("openConfiguredPostgres needs store.url");
  const { password, warnings } = await readStorePassword(config.store, env, redactor);
  for (const w of warnings) opts.warn?.(w);
  const { openPostgresStore } = await import("../store/postgres/open.ts");
  return openPostgresStore(url, { password, poolSize: config.store.poolSize, ...(opts.fence === undefined ? {} : { fence: opts.fence }) });
}
