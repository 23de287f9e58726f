import { systemClock } from "../../core/clock.ts";
import { createLogger } from "../../core/logger.ts";
import { buildChannels } from "../../alerts/build-channels.ts";
import { sendTestAlert } from "../../alerts/test-send.ts";
import type { GlobalOptions, Io } from "../io.ts";
import { loadConfigFor, openFirewallProvider } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import { startWatch } from "../watch/compose.ts";

/** `nodeward watch`: the daemon in the foreground until SIGINT/SIGTERM; structured logs on stderr. */
export async function runWatchCommand(io: Io, opts: GlobalOptions): Promise<ExitCode> {
  const { config } = await loadConfigFor(io, opts);
  const provider = await openFirewallProvider(config, io, systemClock);
  const log = createLogger({ level: io.verbose ? "debug" : io.quiet ? "warn" : "info", pretty: io.stderrIsTTY, redactor: io.redactor });
  const watch = await startWatch({ config, provider, clock: systemClock, log, redactor: io.redactor, env: io.env });
  const stop = (sig: string) => {
    log.info({ signal: sig }, "stopping: cancelling probes, writing results, flushing alerts");
    void watch.stop();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  await watch.done;
  return EXIT.ok;
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
