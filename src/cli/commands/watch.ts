import { systemClock } from "../../core/clock.ts";
import { createLogger } from "../../core/logger.ts";
import { buildChannels } from "../../alerts/build-channels.ts";
import { sendTestAlert } from "../../alerts/test-send.ts";
import type { GlobalOptions, Io } from "../io.ts";
import { loadConfigFor, openFirewallProvider } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import { startWatch, type RunningWatch } from "../watch/compose.ts";
import { SteadyClock } from "../../core/steady-clock.ts";
import type { StartNotice } from "../../watch/lifecycle.ts";
import { isStoreError } from "../../store/index.ts";
import { vantageNameSchema } from "../../fleet/config.ts";
import { AppError } from "../../core/errors.ts";

const STORE_RETRY_MS = 5_000;

function checkVantageName(text: string): string {
  const r = vantageNameSchema.safeParse(text);
  if (!r.success) throw new AppError("USAGE", `--vantage: ${r.error.issues[0]?.message ?? "not a vantage name"}`);
  return r.data;
}

/**
 * `nodeward watch`: the daemon in the foreground until SIGINT/SIGTERM; structured logs on stderr.
 * A run that must start again on a new database connection (its file was restored, or found
 * damaged) does so in this process; a run that cannot go on ends the process with exit 1, so
 * systemd's Restart=on-failure starts a fresh one. Never a live process that does nothing.
 */
export async function runWatchCommand(io: Io, opts: GlobalOptions, vantageFlag?: string): Promise<ExitCode> {
  const { config } = await loadConfigFor(io, opts);
  const vantage = vantageFlag === undefined ? undefined : checkVantageName(vantageFlag);
  const provider = await openFirewallProvider(config, io, systemClock);
  const log = createLogger({ level: io.verbose ? "debug" : io.quiet ? "warn" : "info", pretty: io.stderrIsTTY, redactor: io.redactor });
  const steady = new SteadyClock(systemClock);
  let current: RunningWatch | null = null;
  let stopping = false;
  let retryWait = () => {};
  const stop = (sig: string) => {
    log.info({ signal: sig }, "stopping: cancelling probes, writing results, flushing alerts");
    stopping = true;
    retryWait();
    void current?.stop();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  let next: { recoverDatabase: boolean; notices: StartNotice[] } = { recoverDatabase: false, notices: [] };
  for (;;) {
    try {
      current = await startWatch({ config, provider, clock: systemClock, steady, log, redactor: io.redactor, env: io.env, vantage, ...next });
    } catch (e) {
      // PostgreSQL down at start: wait for it in this process (no crash loop), saying so every time.
      if (!isStoreError(e, "unavailable") || config.store.url === undefined || stopping) throw e;
      log.error({ error: (e as Error).message }, `the shared store is unreachable: trying again in ${STORE_RETRY_MS / 1000} s`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, STORE_RETRY_MS);
        retryWait = () => (clearTimeout(t), resolve());
      });
      if (stopping) return EXIT.ok;
      continue;
    }
    if (stopping) void current.stop();
    const outcome = await current.done;
    if (outcome.kind === "restart" && !stopping) {
      log.warn({ reason: outcome.reason }, "starting the watcher again in this process");
      next = { recoverDatabase: outcome.recover, notices: outcome.notices };
      continue;
    }
    const code = outcome.kind === "failed" ? EXIT.error : EXIT.ok;
    if (outcome.kind === "failed") io.err(`nodeward: the watcher stopped: ${outcome.reason}`);
    // Whatever still holds the event loop (a socket that will not close) must not keep a stopped daemon alive.
    setTimeout(() => process.exit(code), 10_000).unref();
    return code;
  }
}

/** `nodeward alerts test [CHANNEL]`: one test message to each channel (or the named one); exit 1 if any failed. */
export async function runAlertsTest(io: Io, opts: GlobalOptions, name: string | undefined): Promise<ExitCode> {
  const { config } = await loadConfigFor(io, opts);
  const { channels, warnings } = await buildChannels(config.alerts, { fetch, clock: systemClock, redactor: io.redactor, env: { ...io.env } });
  for (const w of warnings) io.err(`${io.errStyle.yellow("warning:")} ${w}`);
  if (channels.length === 0) {
    io.err("No alert channel is configured: add one under alerts.channels (docs/alerts.md).");
    return EXIT.error;
  }
  const results = await sendTestAlert(channels, name);
  if (opts.json) io.json(results);
  for (const r of results) {
    if (opts.json) break;
    io.out(r.result.ok ? `${io.style.green("sent")}    ${r.channel} (${r.type}) in ${r.ms} ms` : `${io.style.red("failed")}  ${r.channel} (${r.type}): ${r.result.error}`);
  }
  return results.every((r) => r.result.ok) ? EXIT.ok : EXIT.error;
}
