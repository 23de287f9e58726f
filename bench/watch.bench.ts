/**
 * bench:watch — the watch daemon against 10,000 simulated SmartNodes at the default settings
 * (60 s interval, 15 s confirm, concurrency 256, SQLite history, one webhook channel), for a few
 * minutes after a warm-up of one full interval. Three processes, so the watcher is measured alone:
 *
 *   this driver      the Vultr API simulator (10,000 instances, rate limit off), the webhook
 *                    receiver, and the measurements (/proc/<pid>/stat, /proc/<pid>/status, /metrics);
 *   probe-nodes.ts   the SmartNodes, each on its own loopback address (127.80.x.y) on the real
 *                    ports 9678 (P2P) and 8080 (SAPI); two listening sockets per node, so the fleet
 *                    is split over as many such processes as the open-file hard limit requires
 *                    (20,000 here: 2 × 5,000), the soft limit raised to the hard one with prlimit;
 *   watch-daemon.ts  the daemon, composed by startWatch as `nodeward watch` does.
 *
 * Prints probes done and per second, the watcher's CPU seconds per minute and share of one core,
 * peak RSS, database size and growth per day, missed slots, alerts sent, and whether the targets
 * (CPU < 5 % of one core, RSS < 150 MB, 0 missed slots) are met.
 *
 * Environment: BENCH_NODES (10000), BENCH_MINUTES (3), BENCH_BASE_ADDRESS (127.80.0.1),
 * BENCH_PROFILE (a path: also writes a V8 CPU profile of the daemon over the measured window and
 * prints where its time goes; the profiler's own overhead is then in the CPU figures),
 * What-if experiments (defaults are the real thing): BENCH_SAPI=0 (watch without the SAPI probe,
 * verify.sapi: false), BENCH_DAEMON=tsx (the daemon's sources run through tsx instead of bundled as
 * shipped),
 * BENCH_MIN_SLEEP_MS=N (the scheduler wakes at most every N ms; see watch-daemon.ts),
 * BENCH_DAEMON_NODE_FLAGS (extra node flags for the daemon, e.g. "--perf-basic-prof" for perf),
 * BENCH_COMPACTION (1: also time the hourly compaction at full scale on a copy of the database; 0 skips).
 * Diagnostics (they distort the memory figures of the run): BENCH_GARBAGE=PATH (sample what dies in
 * major GCs), BENCH_HEAP_DIFF=1 (heap snapshots at both ends of the window, and what grew).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { readFileSync } from "node:fs";
import { startSim } from "../src/sim/server.ts";
import { compactionTrial, fileBytes, tableStats } from "./lib/db-size.ts";
import { INCLUSIVE_OF_INTEREST, printSummary, summarize, type CpuProfile } from "./lib/cpuprofile.ts";
import { bundleDaemon, unitNodeOptions } from "./lib/daemon.ts";
import { loopbackAddresses } from "./lib/loopback.ts";
import { startNodeProcesses } from "./lib/nodes.ts";
import { openFiles, readCpu, readMem, readThreadCpu, sleep, startHelper, stopHelper, type Helper } from "./lib/proc.ts";
import { startAlertReceiver } from "./lib/receiver.ts";
import { sourceVersion } from "./lib/source.ts";

const NODES = Number(process.env["BENCH_NODES"] ?? 10_000);
const MINUTES = Number(process.env["BENCH_MINUTES"] ?? 3);
const BASE = process.env["BENCH_BASE_ADDRESS"] ?? "127.80.0.1";
const PROFILE = process.env["BENCH_PROFILE"];
/** A path: also samples, over the window, the allocations that outlive minor GCs and die in a major one (what raises the peak RSS). */
const GARBAGE = process.env["BENCH_GARBAGE"];
/** 1: heap snapshots at both ends of the window (outside the CPU measurement), and what grew between them. */
const HEAP_DIFF = process.env["BENCH_HEAP_DIFF"] === "1";
const COMPACTION = (process.env["BENCH_COMPACTION"] ?? "1") !== "0";
const SAPI = (process.env["BENCH_SAPI"] ?? "1") !== "0";
const RUNTIME = process.env["BENCH_DAEMON"] === "tsx" ? "tsx" : "shipped";
const MIN_SLEEP = Number(process.env["BENCH_MIN_SLEEP_MS"] ?? 0);
const INTERVAL_S = 60;
const TARGET = { cpuShare: 0.05, rssMB: 150, missed: 0 };
if (!Number.isInteger(NODES) || NODES < 1 || NODES > 20_000 || !(MINUTES > 0) || MINUTES > 120) {
  console.error("BENCH_NODES must be 1–20000 and BENCH_MINUTES in (0, 120]");
  process.exit(2);
}

const repo = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "nodeward-bench-watch-"));
const dbPath = join(dir, "nodeward.db");
const MB = (kib: number) => kib / 1024;
const mb = (bytes: number) => bytes / 1048576;
const f = (x: number, d = 2) => x.toFixed(d);

console.log(`bench:watch — ${NODES} simulated SmartNodes on loopback, default watch settings (interval ${INTERVAL_S} s, confirm 15 s, concurrency 256), ${MINUTES} min measured after a ${INTERVAL_S} s warm-up`);
const variants = [SAPI ? null : "SAPI probe off (verify.sapi: false)", RUNTIME === "tsx" ? "daemon sources run through tsx, not bundled, without the unit's NODE_OPTIONS" : null, MIN_SLEEP > 0 ? `scheduler wakes at most every ${MIN_SLEEP} ms` : null].filter((x) => x !== null);
console.log(`  source     ${sourceVersion(repo)}; node ${process.version}, ${cpus().length} CPUs`);
if (variants.length > 0) console.log(`WHAT-IF EXPERIMENT, not the default daemon: ${variants.join("; ")}`);

const cleanups: (() => Promise<unknown>)[] = [];
let exitCode = 1;
try {
  exitCode = await main();
} catch (e) {
  console.error(`bench:watch failed: ${(e as Error).stack ?? String(e)}`);
} finally {
  for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error(`cleanup: ${(e as Error).message}`));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

async function main(): Promise<number> {
  const addresses = loopbackAddresses(BASE, NODES);

  // The fleet at the provider: one instance per node, on the node's own loopback address.
  const sim = await startSim({ rateLimitPerSecond: false });
  cleanups.push(() => sim.close());
  for (let i = 0; i < NODES; i++) sim.state.addInstance({ label: `sn-${String(i + 1).padStart(5, "0")}`, tags: ["smartnode"], main_ip: addresses[i]! });
  const receiver = await startAlertReceiver();
  cleanups.push(() => receiver.close());

  // The nodes' processes (bench/lib/nodes.ts): as many as the open-file limit requires.
  const t0 = performance.now();
  const nodes = await startNodeProcesses(repo, addresses);
  cleanups.push(() => nodes.stop());
  const [where, limits] = nodes.describe(performance.now() - t0);
  console.log(`  nodes      ${where}`);
  console.log(`             ${limits}`);

  // The daemon, alone in its process.
  writeFileSync(
    join(dir, "nodeward.yaml"),
    `version: 1
provider: { type: vultr, baseUrl: "${sim.url}" }
coin: smartcash
nodes: { tags: [smartnode] }
watch: { database: "${dbPath}", listen: "127.0.0.1:0" }${SAPI ? "" : "\nverify: { sapi: false }"}
alerts:
  channels:
    - { type: webhook, name: bench-hook, url: "${receiver.origin}/hook" }
`,
  );
  const t1 = performance.now();
  const nodeFlags = ["--expose-gc", ...(RUNTIME === "shipped" ? unitNodeOptions(repo) : []), ...(process.env["BENCH_DAEMON_NODE_FLAGS"] ?? "").split(/\s+/).filter((x) => x !== "")];
  const entry = RUNTIME === "shipped" ? [await bundled()] : ["--import", "tsx", join(repo, "bench/watch-daemon.ts")];
  console.log(`  runtime    ${RUNTIME === "shipped" ? `as shipped: bundled like dist/nodeward.mjs (scripts/bundle.mjs), plain node ${nodeFlags.filter((x) => x !== "--expose-gc").join(" ")} (NODE_OPTIONS of packaging/nodeward-watch.service)` : "through tsx"}; --expose-gc for the heap figures`);
  const daemon: Helper<{ ready: true; url: string; pid: number }> = await startHelper("daemon", process.execPath, [...nodeFlags, ...entry, join(dir, "nodeward.yaml")], {
    cwd: repo,
    env: { ...process.env, VULTR_API_KEY: sim.apiKey },
    timeoutMs: 120_000,
  });
  cleanups.push(() => stopHelper(daemon.child, 30_000));
  const pid = daemon.pid;
  const url = daemon.ready.url;
  const readyAt = performance.now();
  const atReady = readMem(pid);
  console.log(`  watcher    pid ${pid}, ${url}, started (inventory of ${NODES} read) in ${f((readyAt - t1) / 1000, 1)} s; RSS ${f(MB(atReady.rss), 1)} MB after start (VmHWM ${f(MB(atReady.hwm), 1)} MB so far)`);

  const health = async () => ((await (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(30_000) })).json()) as { status: string; nodes: number; probes: number });
  const scrape = async () => {
    const c = readCpu(pid).total;
    const t = performance.now();
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(120_000) })).text();
    const ms = performance.now() - t;
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
    return { probes: value("nodeward_probes_total"), missed: value("nodeward_missed_slots_total"), outbox: value("nodeward_alert_outbox_depth"), offline: value("nodeward_watcher_offline"), ms, cpu: readCpu(pid).total - c, bytes: text.length };
  };

  // Memory is sampled every second over the whole run (VmHWM covers what falls between samples).
  let rssMaxWindow = 0;
  let inWindow = false;
  let hwmSeen = atReady.hwm;
  let hwmAt = 0;
  /** When VmHWM went up by 2 MB or more since the last such step: where the peak comes from. */
  const hwmSteps: string[] = [];
  let hwmStepBase = atReady.hwm;
  const sampler = setInterval(() => {
    try {
      const m = readMem(pid);
      if (inWindow) rssMaxWindow = Math.max(rssMaxWindow, m.rss);
      if (m.hwm > hwmSeen) [hwmSeen, hwmAt] = [m.hwm, (performance.now() - readyAt) / 1000];
      if (m.hwm - hwmStepBase >= 2048) {
        hwmSteps.push(`${f(MB(m.hwm), 0)} MB at ${f((performance.now() - readyAt) / 1000, 0)} s`);
        hwmStepBase = m.hwm;
      }
    } catch {
      // the daemon is gone; the end of the run reports it
    }
  }, 1000);
  cleanups.push(async () => clearInterval(sampler));

  // Warm-up: the first full interval (every node probed once, slots spread over the interval).
  const warmEnd = readyAt + (INTERVAL_S + 5) * 1000;
  for (;;) {
    const h = await health();
    const now = performance.now();
    if ((now >= warmEnd && h.probes >= NODES) || now > readyAt + 3 * INTERVAL_S * 1000) {
      console.log(`  warm-up    ${f((now - readyAt) / 1000, 0)} s: ${h.probes} probes, status ${h.status}, RSS ${f(MB(readMem(pid).rss), 1)} MB, CPU ${f(readCpu(pid).total)} s since the process started`);
      break;
    }
    await sleep(2000);
  }

  // No /metrics scrape before or in the window: a scrape is work the daemon does for Prometheus,
  // not for watching (and before commit 8477477 one took 7 s with 10,000 nodes, stalling probes).
  // Its cost is measured after the window and reported on its own line.
  // The heap after a full GC (the daemon runs with --expose-gc), at both ends of the window and
  // outside the CPU measurement: what stays allocated per minute of watching.
  const memInfo = () =>
    new Promise<HeapInfo>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the daemon did not answer `mem` within 30 s")), 30_000);
      daemon.onLine((line) => {
        if (!line.startsWith('{"mem"')) return;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { mem: HeapInfo }).mem);
      });
      daemon.send("mem");
    });
  const heap0 = await memInfo();
  const snapshot = async (name: string) => {
    const file = join(dir, name);
    const written = new Promise<void>((resolve) => daemon.onLine((line) => line.startsWith('{"heap"') && resolve()));
    daemon.send(`heap ${file}`);
    await Promise.race([written, sleep(120_000)]);
    return file;
  };
  const snap0 = HEAP_DIFF ? await snapshot("start.heapsnapshot") : undefined;
  const h0 = await health();
  const threads0 = readThreadCpu(pid);
  const cpu0 = readCpu(pid);
  const w0 = performance.now();
  const db0 = fileBytes(dbPath);
  const alerts0 = receiver.alerts.length;
  inWindow = true;
  if (PROFILE !== undefined) daemon.send("profile start");
  if (GARBAGE !== undefined) daemon.send("garbage start");

  let lastCpu = cpu0.total;
  let lastProbes = h0.probes;
  for (let minute = 1; minute <= Math.ceil(MINUTES); minute++) {
    const until = w0 + Math.min(minute, MINUTES) * 60_000;
    while (performance.now() < until) await sleep(Math.min(1000, until - performance.now()));
    const h = await health();
    const c = readCpu(pid).total;
    console.log(`  minute ${String(minute).padStart(2)}  ${h.probes - lastProbes} probes, CPU ${f(c - lastCpu)} s, RSS ${f(MB(readMem(pid).rss), 1)} MB, open files ${openFiles(pid)}, db ${f(mb(fileBytes(dbPath).total), 1)} MB`);
    lastCpu = c;
    lastProbes = h.probes;
  }

  if (GARBAGE !== undefined) {
    const written = new Promise<void>((resolve) => daemon.onLine((line) => line.includes('"garbage"') && resolve()));
    daemon.send(`garbage stop ${resolvePath(GARBAGE)}`);
    await Promise.race([written, sleep(60_000)]);
    printGarbage(resolvePath(GARBAGE));
  }
  let profilePath: string | undefined;
  if (PROFILE !== undefined) {
    profilePath = resolvePath(PROFILE);
    const written = new Promise<void>((resolve) => daemon.onLine((line) => line.includes('"profile"') && resolve()));
    daemon.send(`profile stop ${profilePath}`);
    await Promise.race([written, sleep(60_000)]);
  }
  const cpu1 = readCpu(pid);
  const threads1 = readThreadCpu(pid);
  const w1 = performance.now();
  const db1 = fileBytes(dbPath);
  inWindow = false;
  const mem = readMem(pid);
  const h1 = await health();
  const heap1 = await memInfo();
  if (snap0 !== undefined) printHeapGrowth(snap0, await snapshot("end.heapsnapshot"));
  const alerts = receiver.alerts.length;
  // Now the metrics: missed slots since the daemon started (the collectors run in one synchronous
  // pass, so this scrape's own stall is not in its numbers), then, after the backlog it causes has
  // drained, once more: the difference is what one scrape costs in missed slots.
  const m1 = await scrape();
  const memAfterScrape = readMem(pid);
  await sleep(20_000);
  const m2 = await scrape();

  const stopped = await stopHelper(daemon.child, 30_000);
  const stats = tableStats(dbPath);

  // ── results ───────────────────────────────────────────────────────────────────────────────
  const wallS = (w1 - w0) / 1000;
  const min = wallS / 60;
  const cpuS = cpu1.total - cpu0.total;
  const cpuPerMin = cpuS / min;
  const share = cpuS / wallS;
  const probes = h1.probes - h0.probes;
  const growthPerMin = (db1.total - db0.total) / min;
  const probesRows = stats.tables["probes"]!;
  const rawPerRow = probesRows.bytes / probesRows.rows;
  const probesPerDay = (probes / min) * 1440;
  const hwmMB = MB(mem.hwm);
  console.log(`\nresults over ${f(wallS, 1)} s (${f(min, 2)} min)${PROFILE !== undefined ? " — PROFILED: the CPU figures include the profiler's overhead" : ""}`);
  console.log(`  probes done               ${probes} (${f(probes / wallS, 1)} per second; ${f(probes / min / NODES, 3)} per node per minute)`);
  console.log(`  watcher CPU               ${f(cpuPerMin)} s per minute = ${f(share * 100)} % of one core (user ${f(cpu1.user - cpu0.user)} s, system ${f(cpu1.system - cpu0.system)} s; ${f((cpuS / probes) * 1000, 3)} s per 1,000 probes)`);
  const byThread = [...threads1.entries()]
    .map(([name, c]) => ({ name, threads: c.threads, s: c.total - (threads0.get(name)?.total ?? 0) }))
    .filter((t) => t.s >= 0.01)
    .sort((a, b) => b.s - a.s);
  console.log(`    by thread               ${byThread.map((t) => `${t.name}${t.threads > 1 ? ` ×${t.threads}` : ""} ${f(t.s)} s`).join(", ")}`);
  if (hwmSteps.length > 0) console.log(`  VmHWM steps               ${hwmSteps.join(", ")} (after ready)`);
  console.log(`  peak RSS                  ${f(hwmMB, 1)} MB (VmHWM over the daemon's life, start-up included; ${hwmAt === 0 ? "reached before it was ready" : `last raised ${f(hwmAt, 0)} s after it was ready`}); ${f(MB(rssMaxWindow), 1)} MB highest sample in the window; ${f(MB(mem.rss), 1)} MB at the end`);
  const heapPerMin = (heap1.heapUsed - heap0.heapUsed) / min;
  console.log(`  JS heap after full GC     ${f(mb(heap0.heapUsed), 1)} MB at the start, ${f(mb(heap1.heapUsed), 1)} MB at the end: ${heapPerMin >= 0 ? "+" : ""}${f(heapPerMin / 1024, 0)} KiB per minute retained (${f(mb(heapPerMin * 1440), 0)} MB per day if it goes on)`);
  console.log(`  RSS at the end, by part   V8 heap reserved ${f(mb(heap1.heapTotal), 1)} MB (in use ${f(mb(heap1.heapUsed), 1)} after GC), external/Buffers ${f(mb(heap1.external), 1)} MB, the rest (code, tsx/V8/libuv/SQLite native memory, stacks) ${f(mb(heap1.rss - heap1.heapTotal - heap1.external), 1)} MB, RSS ${f(mb(heap1.rss), 1)} MB`);
  console.log(`  database                  ${f(mb(db0.total), 2)} MB at the start (db ${f(mb(db0.db), 2)} + WAL ${f(mb(db0.wal), 2)}), ${f(mb(db1.total), 2)} MB at the end (db ${f(mb(db1.db), 2)} + WAL ${f(mb(db1.wal), 2)})`);
  console.log(`  growth per day            ${f(mb(growthPerMin * 1440) / 1024, 2)} GB extrapolated from the files (${f(growthPerMin / 1024, 0)} KiB per minute × 1440)`);
  console.log(`                            ${f((probesPerDay * rawPerRow) / 1024 ** 3, 2)} GB from rows: ${f(probesPerDay / 1e6, 2)} M probes/day × ${f(rawPerRow, 1)} bytes per stored probe (${probesRows.rows} rows, ${f(mb(probesRows.bytes), 1)} MB in the probes table)`);
  console.log(`  missed slots              ${m1.missed} since the daemon started (start-up, warm-up and window; no /metrics scrape before this one)`);
  console.log(`  alerts sent               ${alerts} (${alerts - alerts0} in the window; all nodes healthy, expected 0); outbox depth ${m1.outbox}, watcher offline ${m1.offline}`);
  console.log(`  /metrics scrape           ${f(m1.ms, 0)} ms / ${f(m2.ms, 0)} ms wall, ${f(m1.cpu)} s / ${f(m2.cpu)} s of watcher CPU, ${f(m1.bytes / 1024, 0)} KiB, after the window;`);
  console.log(`                            one scrape made ${m2.missed - m1.missed} probes miss their slot, and VmHWM went from ${f(hwmMB, 1)} to ${f(MB(memAfterScrape.hwm), 1)} MB;`);
  console.log(`                            scraped every 15 s it would add ${f(((m1.cpu + m2.cpu) / 2) * 4)} s of CPU per minute (${f((((m1.cpu + m2.cpu) / 2) * 4 * 100) / 60)} % of one core) to the figure above`);
  console.log(`  daemon stop               ${stopped}`);

  if (COMPACTION) {
    const perNodeHour = Math.round(probes / min / NODES * 60);
    const trial = await compactionTrial(dbPath, join(dir, "compaction-copy.db"), perNodeHour, Date.now());
    const rollupPerDay = NODES * 24 * trial.rollupBytesPerRow;
    const rawDay = probesPerDay * rawPerRow;
    console.log(`  hourly compaction         ${f(trial.ms, 0)} ms for one hour of ${NODES} nodes (${trial.rawRowsRolled} raw rows → hourly rows; measured on a copy) — one synchronous transaction on the daemon's event loop`);
    console.log(`  steady state (bounded)    raw ${f(rawDay / 1024 ** 3, 2)} GB/day × 7 days retention = ${f((rawDay * 7) / 1024 ** 3, 1)} GB, plus hourly rollups ${f(rollupPerDay / 1048576, 1)} MB/day (${f(trial.rollupBytesPerRow, 1)} bytes per node-hour) × 365 days = ${f((rollupPerDay * 365) / 1024 ** 3, 1)} GB`);
  } else {
    console.log(`  steady state (bounded)    the hourly compaction rolls raw probes older than 7 days into hourly rows: the file stops growing after ~7 days (BENCH_COMPACTION=1 measures it)`);
  }

  if (profilePath !== undefined) {
    console.log(`\nwhere the watcher's CPU goes (V8 CPU profile of the window: ${profilePath})`);
    printSummary(summarize(JSON.parse(readFileSync(profilePath, "utf8")) as CpuProfile, INCLUSIVE_OF_INTEREST), 30);
  }

  const ok = share < TARGET.cpuShare && hwmMB < TARGET.rssMB && m1.missed === TARGET.missed;
  const why = [
    share < TARGET.cpuShare ? null : `CPU ${f(share * 100)} %`,
    hwmMB < TARGET.rssMB ? null : `RSS ${f(hwmMB, 1)} MB`,
    m1.missed === 0 ? null : `${m1.missed} missed slots`,
  ].filter((x) => x !== null);
  console.log(`\ntargets (CPU < 5% of one core, RSS < 150 MB, 0 missed slots): ${ok ? "met" : `NOT met (${why.join(", ")})`}`);
  return ok ? 0 : 1;
}

interface HeapInfo {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
}

/** Bundles watch-daemon.ts as scripts/build.mjs bundles the CLI (bench/lib/daemon.ts), removed at the end. */
async function bundled(): Promise<string> {
  const { file, remove } = await bundleDaemon(repo);
  cleanups.push(remove);
  return file;
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** Top allocation sites (function and caller) of the sampled heap profile, by bytes. */
function printGarbage(path: string): void {
  const root = (JSON.parse(readFileSync(path, "utf8")) as { head: SamplingNode }).head;
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (n: SamplingNode, parent: string) => {
    const here = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").slice(-1)[0] ?? ""}:${n.callFrame.lineNumber + 1}`;
    if (n.selfSize > 0) {
      bySite.set(`${here} ← ${parent}`, (bySite.get(`${here} ← ${parent}`) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    for (const c of n.children) walk(c, here);
  };
  walk(root, "");
  console.log(`  allocations that died in major GCs (sampled, ${f(mb(total), 1)} MB in the window), top sites:`);
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${f((bytes / total) * 100, 1).padStart(5)} %  ${f(mb(bytes), 1).padStart(6)} MB  ${site}`);
}

/** Objects by kind and constructor name in a .heapsnapshot: count and self size. */
function heapCensus(path: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(path, "utf8")) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const fields = snap.snapshot.meta.node_fields;
  const [typeAt, nameAt, sizeAt] = ["type", "name", "self_size"].map((x) => fields.indexOf(x)) as [number, number, number];
  const types = snap.snapshot.meta.node_types[0];
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const key = `${types[snap.nodes[i + typeAt]!]}:${snap.strings[snap.nodes[i + nameAt]!]!.slice(0, 60)}`;
    const e = out.get(key) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += snap.nodes[i + sizeAt]!;
    out.set(key, e);
  }
  return out;
}

function printHeapGrowth(before: string, after: string): void {
  const a = heapCensus(before);
  const b = heapCensus(after);
  const rows = [...b].map(([k, v]) => ({ k, count: v.count - (a.get(k)?.count ?? 0), bytes: v.bytes - (a.get(k)?.bytes ?? 0) })).sort((x, y) => y.bytes - x.bytes).slice(0, 12);
  console.log("  heap growth over the window (snapshots; kind:constructor, objects, bytes):");
  for (const r of rows) console.log(`    ${String(r.count).padStart(8)} objects  ${f(r.bytes / 1024, 0).padStart(7)} KiB  ${r.k}`);
}

