import { resolveSecret } from "../config/secret-ref.ts";
import type { Redactor } from "../core/redact.ts";
import type { StoreConfig } from "../fleet/config.ts";

/**
 * store.password, read from its environment variable or file (chmod 600), registered with the
 * redactor before it is used; undefined when none is configured (peer, trust or certificate
 * authentication). Never taken from the command line or the URL (the schema refuses both).
 */
export async function readStorePassword(store: StoreConfig, env: Readonly<Record<string, string | undefined>>, redactor: Redactor): Promise<{ password: string | undefined; warnings: string[] }> {
  if (store.password === undefined) return { password: undefined, warnings: [] };
  const { value, warnings } = await resolveSecret(store.password, "store.password", env, redactor);
  return { password: value, warnings };
}
