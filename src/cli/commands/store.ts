import type { Command } from "commander";
import { loadConfigFor } from "../context.ts";
import { expandHome } from "../../config/home.ts";
import type { Config } from "../../config/schema.ts";
import { AppError } from "../../core/errors.ts";
import { defaultDataPath } from "../../store/data-path.ts";
import { watchDatabasePath } from "../auth-context.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import type { GlobalOptions, Io } from "../io.ts";
import { resolveTarget } from "../store-target.ts";
import { migrateJson, migrateProgress, printMigrate } from "./store-report.ts";

type Act = (fn: (opts: GlobalOptions & Record<string, unknown>, args: string[]) => Promise<number>) => (...args: unknown[]) => Promise<void>;

const MIGRATE_HELP = `
The SQLite file is opened read-only and never changed: a watcher may keep running on it, but
stop it before the last run so that nothing is written after the copy. Running again copies only
what is missing; a run that was stopped (kill -9, the database gone) completes. Exit 0 when every
table holds as many rows in PostgreSQL as in the file, 1 otherwise.

The password is never taken from the command line: --password-env NAME or --password-file PATH,
else store.password of the configuration when store.url names the same database, else none.

Example:
  nodeward store migrate --to postgres://nodeward@db.example:5432/nodeward --password-file /etc/nodeward/db-password

See docs/fleet.md, "Moving an existing watcher over".`;

/** `nodeward store migrate`, added to the `store` group from main.ts in one call. */
export function registerStoreMigrate(store: Command, ctx: { io: () => Io; act: Act }): void {
  store.command("migrate").description("copy the SQLite watch database into PostgreSQL, every table, in batches; safe to run again (exit 0 when every table matches)")
    .option("--to <url>", "postgres://USER@HOST:PORT/DATABASE, without a password (default: store.url)")
    .option("--from <file>", "the SQLite watch database (default: watch.database of the configuration)")
    .option("--password-env <name>", "environment variable holding the database password")
    .option("--password-file <path>", "file holding the database password (chmod 600)")
    .option("--batch <rows>", "rows per transaction", "5000")
    .addHelpText("after", MIGRATE_HELP)
    .action(ctx.act((o) => runStoreMigrate(ctx.io(), o)));
}

export async function runStoreMigrate(io: Io, o: GlobalOptions & Record<string, unknown>): Promise<ExitCode> {
  const text = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
  const batchRows = Number(o["batch"] ?? 5000);
  if (!Number.isSafeInteger(batchRows) || batchRows < 1 || batchRows > 100_000) throw new AppError("USAGE", `--batch must be a whole number from 1 to 100000, got ${String(o["batch"])}`);
  const config = await optionalConfig(io, o);
  const from = text("from");
  const path = from !== undefined ? expandHome(from, io.env["HOME"]) : config !== null ? watchDatabasePath(config, io.env) : defaultDataPath(io.env);
  const target = await resolveTarget(
    { to: text("to"), ...(text("passwordEnv") === undefined ? {} : { passwordEnv: text("passwordEnv") }), ...(text("passwordFile") === undefined ? {} : { passwordFile: text("passwordFile") }) },
    config,
    io.env,
    io.redactor,
  );
  if (!io.quiet) for (const w of target.warnings) io.err(`${io.errStyle.yellow("warning:")} ${w}`);
  // Loaded here, not at start-up: no other command loads the PostgreSQL client.
  const { migrateToPostgres } = await import("../../store/migrate-to-postgres/index.ts");
  const progress = migrateProgress(io);
  let result;
  try {
    result = await migrateToPostgres({ from: path, to: target.url, batchRows, onBatch: progress.onBatch, ...(target.password === undefined ? {} : { password: target.password }) });
  } finally {
    progress.done();
  }
  if (o.json === true) io.json(migrateJson(result, target.passwordFrom));
  else printMigrate(io, result, target.passwordFrom);
  return result.match ? EXIT.ok : EXIT.error;
}

/**
 * The configuration when there is one: it names the watch database and may hold the password.
 * Without --config or NODEWARD_CONFIG a missing ./nodeward.yaml is no error (--from and the
 * password flags say everything); a file named and missing is.
 */
async function optionalConfig(io: Io, o: GlobalOptions): Promise<Config | null> {
  try {
    return (await loadConfigFor(io, o)).config;
  } catch (e) {
    const named = o.config !== undefined || (io.env["NODEWARD_CONFIG"] ?? "").trim() !== "";
    if (e instanceof AppError && e.code === "CONFIG_NOT_FOUND" && !named) return null;
    throw e;
  }
}
