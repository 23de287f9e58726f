import { setMaxListeners } from "node:events";
import type { Clock } from "../core/clock.ts";
import { AppError, InternalError } from "../core/errors.ts";
import { ProbeQueue } from "./queue.ts";
import { RttEstimator, type RttLimits } from "./rtt.ts";
import type { PortResult, Prober, ProbeTarget, ScanProgress } from "./types.ts";

/**
 * The scan engine for one address: a pool of workers takes ports from a ProbeQueue, sends one
 * probe each through the injected `Prober` with the current adaptive timeout, and decides the
 * port or puts it back:
 *   - an answer decides it (a SYN/ACK or RST also feeds the RTT estimator);
 *   - silence queues a retry until the retries are used up, then it is filtered (timeout).
 *     Retries: one, plus one per retry that ever got an answer in this scan (nmap's
 *     max_successful_tryno rule), never more than `maxRetries`;
 *   - a self-connect is probed again (it says nothing about the port);
 *   - running out of descriptors or ports puts the port back and retires that worker, so the
 *     pool shrinks to what the machine allows; the last worker backs off and finally gives up;
 *   - any other local failure (EPERM from our own firewall, …) stops the scan with an AppError.
 * Warm-up: only WARMUP_PROBES go out until the first round trip is measured (or the first probe
 * times out), so the first sample is not inflated by creating a thousand sockets at once and the
 * bulk of probes does not start with the blind initial timeout. Timing pings: when no round trip
 * was measured for PING_INTERVAL_MS, one probe goes to a port known to answer (a closed one
 * preferred), so the timeout follows the path — and this process's own load — during long runs
 * of silent ports (nmap does the same). Aborting cancels in-flight probes at once.
 */

export interface EngineOptions {
  /** Ports in the order their first probes go out (see probeOrder). */
  order: readonly number[];
  concurrency: number;
  limits: RttLimits;
  maxRetries: number;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
}

export interface EngineDeps {
  prober: Prober;
  clock: Clock;
}

export interface EngineResult {
  ports: PortResult[];
  aborted: boolean;
  /** Probes sent, timing pings included. */
  probes: number;
  srttMs: number | undefined;
}

export const WARMUP_PROBES = 32;
export const PING_INTERVAL_MS = 250;
const MAX_SELF_CONNECTS = 20;
const MAX_LAST_WORKER_BACKOFFS = 20;
const BACKOFF_STEP_MS = 25;

export async function runScan(target: ProbeTarget, opts: EngineOptions, deps: EngineDeps): Promise<EngineResult> {
  const rtt = new RttEstimator(opts.limits);
  const queue = new ProbeQueue(opts.order);
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // one listener per in-flight probe
  const onUserAbort = (): void => stop.abort();
  if (opts.signal?.aborted) stop.abort();
  opts.signal?.addEventListener("abort", onUserAbort, { once: true });

  const decided: PortResult[] = [];
  let open = 0;
  let probes = 0;
  let maxAnsweredTry = 0; // 0-based index of the latest try that ever got an answer
  let workers = 0;
  let failure: unknown;
  const selfConnects = new Map<number, number>();
  let pingPort: number | undefined;
  let pinging = false;
  let lastSampleAt = deps.clock.now();

  const decide = (r: PortResult): void => {
    decided.push(r);
    if (r.state === "open") open += 1;
    opts.onProgress?.({ done: decided.length, total: opts.order.length, open });
  };
  const fail = (err: unknown): void => {
    failure ??= err;
    stop.abort();
  };
  const sample = (port: number, ms: number, closed: boolean): void => {
    rtt.sample(ms);
    lastSampleAt = deps.clock.now();
    if (pingPort === undefined || closed) pingPort = port;
    startRest();
  };
  // `workers` counts live workers; every exit path leaves through `retire`, synchronously, so a
  // worker deciding whether it may retire never counts one that is already gone.
  const retire = (err?: unknown): void => {
    workers -= 1;
    if (err !== undefined) fail(err);
  };

  const ping = async (): Promise<void> => {
    if (pinging || pingPort === undefined || deps.clock.now() - lastSampleAt < PING_INTERVAL_MS) return;
    pinging = true;
    const port = pingPort;
    probes += 1;
    const out = await deps.prober(target, port, rtt.timeoutMs(), stop.signal);
    if (out.kind === "answer" && out.timing) sample(port, out.rttMs, out.state === "closed");
    else if (out.kind === "timeout" && pingPort === port) pingPort = undefined; // it stopped answering
    lastSampleAt = deps.clock.now();
    pinging = false;
  };

  const worker = async (): Promise<void> => {
    let backoffs = 0;
    for (;;) {
      if (stop.signal.aborted) return retire();
      await ping();
      const port = stop.signal.aborted ? undefined : queue.next();
      if (port === undefined) return retire();
      const tryIndex = queue.silentTries(port);
      probes += 1;
      const out = await deps.prober(target, port, rtt.timeoutMs(), stop.signal);
      switch (out.kind) {
        case "answer":
          if (out.timing) sample(port, out.rttMs, out.state === "closed");
          maxAnsweredTry = Math.max(maxAnsweredTry, tryIndex);
          decide({ port, state: out.state, reason: out.reason, rttMs: out.rttMs, tries: tryIndex + 1 });
          backoffs = 0;
          break;
        case "timeout":
          startRest();
          if (tryIndex < Math.min(opts.maxRetries, Math.max(1, maxAnsweredTry + 1))) queue.retry(port);
          else decide({ port, state: "filtered", reason: "timeout", tries: tryIndex + 1 });
          backoffs = 0;
          break;
        case "self-connect": {
          const n = (selfConnects.get(port) ?? 0) + 1;
          selfConnects.set(port, n);
          if (n > MAX_SELF_CONNECTS) return retire(new InternalError(`port ${port} of ${target.address} connected to itself ${n} times in a row`));
          queue.putBack(port);
          break;
        }
        case "local-error":
          if (!out.retryable) return retire(localFailure(target, port, out));
          queue.putBack(port);
          if (workers > 1) return retire(); // the pool shrinks to what this machine allows
          backoffs += 1;
          if (backoffs > MAX_LAST_WORKER_BACKOFFS) return retire(localFailure(target, port, out));
          try {
            await deps.clock.sleep(BACKOFF_STEP_MS * backoffs, stop.signal);
          } catch {
            return retire(); // aborted while backing off
          }
          break;
        case "aborted":
          return retire();
      }
    }
  };

  const pool: Promise<void>[] = [];
  const size = Math.max(1, Math.min(opts.concurrency, opts.order.length));
  const spawn = (n: number): void => {
    for (let i = 0; i < n; i += 1) {
      workers += 1;
      // a throwing prober or progress callback stops the whole scan
      pool.push(worker().catch((err: unknown) => retire(err ?? new InternalError("a scan worker failed without an error"))));
    }
  };
  let rest = size - Math.min(size, WARMUP_PROBES);
  function startRest(): void {
    if (rest === 0 || stop.signal.aborted) return;
    const n = rest;
    rest = 0;
    spawn(n);
  }
  spawn(size - rest);
  // Workers may be added while we wait: wait until the pool stops growing.
  for (let settled = 0; settled < pool.length; ) {
    const batch = pool.length;
    await Promise.all(pool.slice(settled, batch));
    settled = batch;
  }
  opts.signal?.removeEventListener("abort", onUserAbort);
  if (failure !== undefined) throw failure;
  const incomplete = decided.length < opts.order.length;
  if (incomplete && !stop.signal.aborted) throw new InternalError(`scan of ${target.address} ended with ${opts.order.length - decided.length} ports undecided`);
  decided.sort((a, b) => a.port - b.port);
  return { ports: decided, aborted: incomplete, probes, srttMs: rtt.srttMs };
}

function localFailure(target: ProbeTarget, port: number, out: { code: string; message: string; retryable: boolean }): AppError {
  return new AppError("USAGE", `cannot probe ${target.address} port ${port} from this machine: ${out.code} (${out.message}); no port state can be read from here`, {
    hint: out.retryable
      ? "lower the scan concurrency or raise the open-file limit (ulimit -n)"
      : out.code === "EPERM"
        ? "this machine's own firewall refuses the outgoing connection; allow it or scan from another machine"
        : "check this machine's network configuration, or scan from another machine",
  });
}
