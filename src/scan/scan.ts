import { systemClock } from "../core/clock.ts";
import { InternalError } from "../core/errors.ts";
import { defaultConcurrency } from "./concurrency.ts";
import { runScan } from "./engine.ts";
import { scanSettings } from "./options.ts";
import { probeOrder } from "./ports.ts";
import { resolveTargets } from "./resolve.ts";
import { tcpProbe } from "./tcp-probe.ts";
import type { ProbeTarget, ScanOptions, ScanReport } from "./types.ts";

/**
 * TCP connect scan of one host: resolve it (an address is used as is), then probe every port
 * with real sockets. Resolves with a report — an aborted scan too, quickly, with the ports it
 * had decided; rejects only with an AppError when the scan cannot be done from here (bad
 * options, a name that does not resolve, this machine refusing to connect).
 */
export async function scanHost(host: string, opts: ScanOptions): Promise<ScanReport> {
  const [target] = await resolveTargets(host, opts.family ?? "any");
  if (target === undefined) throw new InternalError(`resolving ${host} gave no address and no error`);
  return scanTarget(host, target, opts);
}

/**
 * Scans every address family `host` has — a name with A and AAAA records gives two reports,
 * IPv4 first; an address gives one. The families are scanned one after the other, so the
 * descriptor budget of `concurrency` holds for the whole call.
 */
export async function scanHostFamilies(host: string, opts: Omit<ScanOptions, "family">): Promise<ScanReport[]> {
  const targets = await resolveTargets(host, "both");
  const reports: ScanReport[] = [];
  for (const target of targets) {
    const report = await scanTarget(host, target, opts);
    reports.push(report);
    if (report.aborted) break;
  }
  return reports;
}

async function scanTarget(host: string, target: ProbeTarget, opts: ScanOptions): Promise<ScanReport> {
  const settings = scanSettings(opts, opts.concurrency === undefined ? await defaultConcurrency() : opts.concurrency);
  const clock = opts.clock ?? systemClock;
  const started = clock.now();
  const result = await runScan(
    target,
    {
      order: probeOrder(settings.ports),
      concurrency: settings.concurrency,
      limits: settings.limits,
      maxRetries: settings.maxRetries,
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      ...(opts.onProgress === undefined ? {} : { onProgress: opts.onProgress }),
    },
    { prober: tcpProbe, clock },
  );
  return {
    host,
    address: target.address,
    family: target.family,
    durationMs: clock.now() - started,
    rttMs: result.srttMs,
    ports: result.ports,
    aborted: result.aborted,
    probes: result.probes,
    concurrency: settings.concurrency,
  };
}
