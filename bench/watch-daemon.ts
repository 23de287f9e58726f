/**
 * The watch daemon alone in its own process, composed exactly as `nodeward watch` composes it
 * (startWatch), so that bench:watch measures the watcher's CPU and memory without the simulated
 * nodes or the simulator in the same process.
 *
 *   VULTR_API_KEY=… node --import tsx bench/watch-daemon.ts CONFIG.yaml
 *
 * Prints one JSON line once the first inventory is read and every node scheduled:
 * {"ready":true,"url":…,"pid":…}. Logs (level BENCH_LOG_LEVEL,
 * default warn) go to stderr as JSON lines. Commands on stdin, one per line:
 *   profile start           starts the V8 CPU profiler (node:inspector)
 *   profile stop PATH       stops it and writes the .cpuprofile to PATH, then prints {"profile":PATH}
 *   garbage start           samples allocations, keeping those that survive minor GCs and die in a major one
 *   garbage stop PATH       writes the sampling heap profile to PATH, then prints {"garbage":PATH}
 *   heap PATH               writes a heap snapshot to PATH, then prints {"heap":PATH}
 *   mem                     (with --expose-gc: after a full GC) prints {"mem":{rss,heapUsed,…}}
 *   spaces                  (no GC) prints {"spaces":{new_space,old_space,…,external}}: MB committed per V8 heap space
 * BENCH_MIN_SLEEP_MS (what-if experiment, default off): every clock.sleep lasts at least this long.
 * Only the probe scheduler sleeps less than 10 s, so this models a scheduler that wakes at most
 * every N ms and starts all due probes together (since commit 108feaa the scheduler does this
 * itself with a tick of interval/600, 100 ms at 60 s: the option now only tries other ticks).
 * Stops like the real daemon (probes cancelled, results written, outbox flushed) on SIGTERM,
 * SIGINT or when stdin closes, then exits 0.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { createInterface } from "node:readline";
import { getHeapSpaceStatistics, getHeapStatistics, writeHeapSnapshot } from "node:v8";
import { startWatch } from "../src/cli/watch/compose.ts";
import { parseConfigText } from "../src/config/load.ts";
import { systemClock, type MonotonicClock } from "../src/core/clock.ts";
import { createLogger, type LogLevel } from "../src/core/logger.ts";
import { Redactor } from "../src/core/redact.ts";
import { createVultrProvider } from "../src/providers/vultr/adapter.ts";

const file = process.argv[2];
if (file === undefined) {
  console.error("usage: watch-daemon.ts CONFIG.yaml   (VULTR_API_KEY in the environment)");
  process.exit(2);
}
const apiKey = process.env["VULTR_API_KEY"] ?? "";
const { config } = parseConfigText(readFileSync(file, "utf8"), file);
const minSleep = Number(process.env["BENCH_MIN_SLEEP_MS"] ?? 0);
const clock: MonotonicClock = minSleep > 0 ? { now: systemClock.now, monotonic: systemClock.monotonic, sleep: (ms, signal) => systemClock.sleep(Math.max(ms, minSleep), signal) } : systemClock;
const redactor = new Redactor();
const log = createLogger({ level: (process.env["BENCH_LOG_LEVEL"] ?? "warn") as LogLevel, pretty: false, redactor });
const provider = createVultrProvider({
  baseUrl: config.provider.baseUrl,
  apiKey,
  maxRequestsPerSecond: config.provider.maxRequestsPerSecond,
  timeoutMs: config.provider.timeoutSeconds * 1000,
  clock: systemClock,
  redactor,
});
const watch = await startWatch({ config, provider, clock, log, redactor, env: { VULTR_API_KEY: apiKey } });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await watch.stop();
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());

let session: Session | null = null;
createInterface({ input: process.stdin })
  .on("line", (line) => {
    void command(line.trim()).catch((e: unknown) => console.error(`watch-daemon: ${line}: ${(e as Error).message}`));
  })
  .on("close", () => void stop());

async function command(line: string): Promise<void> {
  const [verb, arg, path] = line.split(/\s+/);
  if (verb === "garbage" && arg === "start") {
    session = new Session();
    session.connect();
    await session.post("HeapProfiler.enable");
    await session.post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false });
  } else if (verb === "garbage" && arg === "stop" && path !== undefined && session !== null) {
    const { profile } = await session.post("HeapProfiler.stopSampling");
    writeFileSync(path, JSON.stringify(profile));
    session.disconnect();
    session = null;
    console.log(JSON.stringify({ garbage: path }));
  } else if (verb === "profile" && arg === "start") {
    session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 1000 });
    await session.post("Profiler.start");
  } else if (verb === "profile" && arg === "stop" && path !== undefined && session !== null) {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(path, JSON.stringify(profile));
    session.disconnect();
    session = null;
    console.log(JSON.stringify({ profile: path }));
  } else if (verb === "mem") {
    (globalThis as { gc?: () => void }).gc?.();
    console.log(JSON.stringify({ mem: { ...process.memoryUsage(), usedHeap: getHeapStatistics().used_heap_size } }));
  } else if (verb === "spaces") {
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((x) => [x.space_name, x.space_size / 1048576]));
    console.log(JSON.stringify({ spaces: { ...spaces, external: process.memoryUsage().external / 1048576 } }));
  } else if (verb === "heap" && arg !== undefined) {
    console.log(JSON.stringify({ heap: writeHeapSnapshot(arg) }));
  } else if (line !== "") {
    console.error(`watch-daemon: unknown command ${JSON.stringify(line)}`);
  }
}

// Ready once the first inventory is read and every node has its slot.
await watch.ready;
console.log(JSON.stringify({ ready: true, url: watch.url, pid: process.pid }));
