import { resolveSecret } from "../../config/secret-ref.ts";
import { AppError } from "../../core/errors.ts";
import { postgresUrl } from "../../fleet/config.ts";
import { loadConfigFor } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import type { GlobalOptions, Io } from "../io.ts";

export interface StoreTargetOptions {
  url?: string;
  passwordEnv?: string;
  passwordFile?: string;
}

/**
 * The PostgreSQL store a `store` command works on: --url with --password-env or --password-file
 * (no config file needed: the schema job of compose.yaml has none), else the config's store.url
 * and store.password. The password never comes from the command line itself.
 */
export async function storeTarget(io: Io, opts: GlobalOptions, t: StoreTargetOptions): Promise<{ url: string; password: string | undefined }> {
  if (t.url === undefined) {
    if (t.passwordEnv !== undefined || t.passwordFile !== undefined) throw new AppError("USAGE", "--password-env and --password-file go with --url", { hint: "without --url, store.url and store.password of the config are used" });
    const { config } = await loadConfigFor(io, opts);
    if (config.store.url === undefined) throw new AppError("USAGE", "no PostgreSQL store: give --url or set store.url in the config", { hint: "docs/fleet.md" });
    const pg = { url: config.store.url, password: undefined as string | undefined };
    if (config.store.password !== undefined) pg.password = (await resolveSecret(config.store.password, "store.password", io.env, io.redactor)).value;
    return pg;
  }
  const checked = postgresUrl.safeParse(t.url);
  if (!checked.success) throw new AppError("USAGE", `--url: ${checked.error.issues[0]?.message ?? "not a PostgreSQL URL"}`);
  if (t.passwordEnv !== undefined && t.passwordFile !== undefined) throw new AppError("USAGE", "give --password-env or --password-file, not both");
  const ref = t.passwordEnv !== undefined ? { env: t.passwordEnv } : t.passwordFile !== undefined ? { file: t.passwordFile } : undefined;
  const password = ref === undefined ? undefined : (await resolveSecret(ref, t.passwordEnv !== undefined ? `--password-env ${t.passwordEnv}` : "--password-file", io.env, io.redactor)).value;
  return { url: checked.data, password };
}

/** `nodeward store init`: creates or upgrades the schema of a fleet's PostgreSQL store (run it as the database's owner role). */
export async function runStoreInit(io: Io, opts: GlobalOptions, t: StoreTargetOptions): Promise<ExitCode> {
  const { url, password } = await storeTarget(io, opts, t);
  const { openPostgresStore } = await import("../../store/postgres/open.ts");
  const store = await openPostgresStore(url, { password });
  try {
    if (opts.json) io.json({ store: store.target, ready: true });
    else io.out(`${io.style.green("ready")}  ${store.target}: the schema is up to date`);
    return EXIT.ok;
  } finally {
    await store.end();
  }
}
