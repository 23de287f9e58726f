import { loadConfigFor } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import type { GlobalOptions, Io } from "../io.ts";
import { resolveTarget } from "../store-target.ts";

export interface StoreInitOptions {
  url?: string;
  passwordEnv?: string;
  passwordFile?: string;
}

/**
 * `nodeward store init`: creates or upgrades the schema of a fleet's PostgreSQL store; run it as
 * the database's owner role (docs/fleet.md). With --url no config file is read (compose.yaml's
 * schema job has none); without it, store.url and store.password of the config are used. The
 * password never comes from the command line (store-target.ts).
 */
export async function runStoreInit(io: Io, opts: GlobalOptions, t: StoreInitOptions): Promise<ExitCode> {
  const config = t.url === undefined ? (await loadConfigFor(io, opts)).config : null;
  const target = await resolveTarget({ to: t.url, flag: "--url", ...(t.passwordEnv === undefined ? {} : { passwordEnv: t.passwordEnv }), ...(t.passwordFile === undefined ? {} : { passwordFile: t.passwordFile }) }, config, io.env, io.redactor);
  for (const w of target.warnings) io.err(`${io.errStyle.yellow("warning:")} ${w}`);
  const { openPostgresStore } = await import("../../store/postgres/open.ts");
  const store = await openPostgresStore(target.url, { password: target.password });
  try {
    if (opts.json) io.json({ store: store.target, ready: true });
    else io.out(`${io.style.green("ready")}  ${store.target}: the schema is up to date`);
    return EXIT.ok;
  } finally {
    await store.end();
  }
}
