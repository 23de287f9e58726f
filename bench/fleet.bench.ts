/**
 * bench:fleet — several watchers on one PostgreSQL (issue 13): 3 watchers, each a vantage probing
 * the same 10,000 simulated SmartNodes at the default settings (60 s interval), on one local
 * PostgreSQL server with production durability (fsync and full-page writes on), measured for a few
 * minutes after a warm-up of one interval; then the leader killed with kill -9 several times while
 * nodes go down. In the same run, first, the single watcher of bench:watch on its SQLite file
 * against the same nodes and for as long: the anchor the watchers of the fleet are compared with.
 *
 *   this driver      the Vultr API simulator, the webhook receiver, PostgreSQL (started and removed
 *                    by src/store/postgres/server.test-support.ts) and the measurements (/proc,
 *                    /healthz, /metrics, pg_stat_user_tables, pg_database_size);
 *   probe-nodes.ts   the SmartNodes, as in bench:watch (bench/lib/nodes.ts);
 *   watch-daemon.ts  each watcher alone in its process, bundled and with the NODE_OPTIONS of
 *                    packaging/nodeward-watch.service, exactly as bench:watch runs its daemon.
 *
 * Phases: (1) the anchor: one watcher on SQLite, warm-up, window, stopped; (2) the fleet: 3
 * watchers on PostgreSQL, warm-up, window (CPU and peak RSS of each, rows written per second and
 * database growth per day); (3) fail-overs: each takes one node down, kills the leader with
 * kill -9 a little later (0, ⅓, ⅔, 1, 1⅓ intervals: the node's down alert falls due before, while
 * or after the fleet has no leader), times until another watcher's /healthz says it leads, and
 * starts the killed watcher again; (4) the down alerts at the receiver: exactly one per node.
 *
 * Targets: each watcher within 1.3× the single watcher's CPU and peak RSS; fail-over < 2
 * intervals; 0 lost and 0 duplicate down alerts.
 *
 * Environment: BENCH_NODES (10000), BENCH_MINUTES (3), BENCH_FAILOVERS (5; also the nodes taken
 * down), BENCH_BASE_ADDRESS (127.80.0.1). What-if (defaults are the real thing): BENCH_INTERVAL
 * (60, seconds), BENCH_ANCHOR=0 (no single-watcher run: no ratios).
 */
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startSim } from "../src/sim/server.ts";
import { startPostgres } from "../src/store/postgres/server.test-support.ts";
import { bundleDaemon, unitNodeOptions } from "./lib/daemon.ts";
import { fileBytes } from "./lib/db-size.ts";
import { loopbackAddresses } from "./lib/loopback.ts";
import { startNodeProcesses } from "./lib/nodes.ts";
import { openPgStats, writtenBetween, type PgReading } from "./lib/pg-stats.ts";
import { readCpu, readMachineCpu, readMem, sleep, startHelper, stopHelper, type Helper } from "./lib/proc.ts";
import { startAlertReceiver } from "./lib/receiver.ts";
import { sourceVersion } from "./lib/source.ts";

const NODES = Number(process.env["BENCH_NODES"] ?? 10_000);
const MINUTES = Number(process.env["BENCH_MINUTES"] ?? 3);
const FAILOVERS = Number(process.env["BENCH_FAILOVERS"] ?? 5);
const INTERVAL_S = Number(process.env["BENCH_INTERVAL"] ?? 60);
const ANCHOR = (process.env["BENCH_ANCHOR"] ?? "1") !== "0";
const BASE = process.env["BENCH_BASE_ADDRESS"] ?? "127.80.0.1";
const NAMES = ["fra-1", "sgp-1", "nyc-1"] as const;
const TARGET = { ratio: 1.3, failoverIntervals: 2 };
if (!Number.isInteger(NODES) || NODES < FAILOVERS || NODES > 20_000 || !(MINUTES > 0) || MINUTES > 60 || !Number.isInteger(FAILOVERS) || FAILOVERS < 1 || FAILOVERS > 10 || !Number.isInteger(INTERVAL_S) || INTERVAL_S < 20 || INTERVAL_S > 600) {
  console.error("BENCH_NODES must be 1–20000 (at least BENCH_FAILOVERS), BENCH_MINUTES in (0, 60], BENCH_FAILOVERS 1–10, BENCH_INTERVAL 20–600");
  process.exit(2);
}

const repo = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "nodeward-bench-fleet-"));
const MB = (kib: number) => kib / 1024;
const mb = (bytes: number) => bytes / 1048576;
const f = (x: number, d = 2) => x.toFixed(d);
const s = (ms: number, d = 1) => `${(ms / 1000).toFixed(d)} s`;
const met = (ok: boolean) => (ok ? "met" : "NOT met");

console.log(
  `bench:fleet — ${NAMES.length} watchers × ${NODES} simulated SmartNodes on loopback, interval ${INTERVAL_S} s (confirm 15 s, concurrency 256), one local PostgreSQL (fsync on), ` +
    `${MINUTES} min measured after a ${INTERVAL_S} s warm-up; then ${FAILOVERS} leader kills (kill -9) with ${FAILOVERS} nodes taken down` +
    (ANCHOR ? `; anchor: the single watcher on SQLite (bench:watch's setup), the same nodes, ${MINUTES} min, run first` : ""),
);
console.log(`  source     ${sourceVersion(repo)}; node ${process.version}, ${cpus().length} CPUs; load average ${loadavg().map((x) => f(x)).join(" ")} at the start (other work on the machine skews every figure)`);
const whatIf = [INTERVAL_S !== 60 ? `interval ${INTERVAL_S} s, not 60 s` : null, ANCHOR ? null : "no single-watcher anchor (no ratios)"].filter((x) => x !== null);
if (whatIf.length > 0) console.log(`WHAT-IF EXPERIMENT, not the benchmark of the issue: ${whatIf.join("; ")}`);

const cleanups: (() => Promise<unknown>)[] = [];
let exitCode = 1;
try {
  exitCode = await main();
} catch (e) {
  console.error(`bench:fleet failed: ${(e as Error).stack ?? String(e)}`);
} finally {
  for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error(`cleanup: ${(e as Error).message}`));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

interface Health {
  status: string;
  probes: number;
  fleet?: { leader: boolean };
}

interface Watcher {
  name: string;
  helper: Helper<{ ready: true; url: string; pid: number }>;
  pid: number;
  url: string;
  readyAt: number;
}

/** What one watcher did over a window. */
interface Figures {
  cpuS: number;
  /** Share of one core. */
  share: number;
  probes: number;
  /** VmHWM over the process's life up to the end of the window, MB. */
  peakMB: number;
  missed: number;
}

async function main(): Promise<number> {
  const addresses = loopbackAddresses(BASE, NODES);
  const label = (i: number) => `sn-${String(i + 1).padStart(5, "0")}`;
  const sim = await startSim({ rateLimitPerSecond: false });
  cleanups.push(() => sim.close());
  for (let i = 0; i < NODES; i++) sim.state.addInstance({ label: label(i), tags: ["smartnode"], main_ip: addresses[i]! });
  const receiver = await startAlertReceiver();
  cleanups.push(() => receiver.close());

  const t0 = performance.now();
  const nodes = await startNodeProcesses(repo, addresses);
  cleanups.push(() => nodes.stop());
  const [where, limits] = nodes.describe(performance.now() - t0);
  console.log(`  nodes      ${where}`);
  console.log(`             ${limits}`);

  const { file: bundle, remove } = await bundleDaemon(repo);
  cleanups.push(remove);
  const flags = ["--expose-gc", ...unitNodeOptions(repo)];
  console.log(`  runtime    each watcher as shipped: bundled like dist/nodeward.mjs, plain node ${flags.filter((x) => x !== "--expose-gc").join(" ")} (NODE_OPTIONS of packaging/nodeward-watch.service), --expose-gc as in bench:watch`);
  const live = new Set<Watcher>();
  cleanups.push(async () => Promise.all([...live].map((w) => stopHelper(w.helper.child, 30_000))));
  const startWatcher = async (name: string, config: string): Promise<Watcher> => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, config);
    const helper = await startHelper<{ ready: true; url: string; pid: number }>(name, process.execPath, [...flags, bundle, file], {
      cwd: repo,
      env: { ...process.env, VULTR_API_KEY: sim.apiKey, HOME: dir, XDG_DATA_HOME: dir },
      timeoutMs: 300_000,
    });
    const w = { name, helper, pid: helper.pid, url: helper.ready.url, readyAt: performance.now() };
    live.add(w);
    return w;
  };
  const base = (watch: string, store = "") => `version: 1
provider: { type: vultr, baseUrl: "${sim.url}" }
coin: smartcash
nodes: { tags: [smartnode] }
${store}watch: { listen: "127.0.0.1:0"${INTERVAL_S === 60 ? "" : `, intervalSeconds: ${INTERVAL_S}`}, ${watch} }
alerts:
  channels:
    - { type: webhook, name: bench-hook, url: "${receiver.origin}/hook" }
`;

  // ── 1. the anchor: bench:watch's single watcher on SQLite, against the same nodes ──────────
  let anchor: Figures | null = null;
  if (ANCHOR) {
    const dbPath = join(dir, "anchor.db");
    const t1 = performance.now();
    const w = await startWatcher("single", base(`database: "${dbPath}"`));
    console.log(`\n1. single watcher on SQLite (the anchor): pid ${w.pid}, ${w.url}, ready in ${s(w.readyAt - t1)}`);
    await warmUp([w], false);
    const db0 = fileBytes(dbPath).total;
    anchor = (await measure([w], async () => `db ${f(mb(fileBytes(dbPath).total), 1)} MB`))[0]!;
    const growth = ((fileBytes(dbPath).total - db0) / MINUTES) * 1440;
    console.log(`   CPU ${f(anchor.share * 100)} % of one core, peak RSS ${f(anchor.peakMB, 1)} MB, ${anchor.probes} probes, ${anchor.missed} missed slots, SQLite growth ${f(growth / 1024 ** 3, 2)} GB per day; alerts so far ${receiver.alerts.length} (expected 0)`);
    console.log(`   stopped: ${await stopHelper(w.helper.child, 30_000)}`);
    live.delete(w);
  }

  // ── 2. the fleet: 3 watchers on one PostgreSQL ───────────────────────────────────────────
  const tPg = performance.now();
  const server = await startPostgres({ durable: true });
  cleanups.push(() => server.stop());
  // Cleanups run last-first: the watchers stop before the server does (their last writes land).
  cleanups.push(async () => Promise.all([...live].map((w) => stopHelper(w.helper.child, 30_000))));
  const url = await server.newDatabase();
  const stats = await openPgStats(url);
  cleanups.push(() => stats.close());
  console.log(`\n2. ${NAMES.length} watchers on PostgreSQL: server up in ${s(performance.now() - tPg)} (${url.replace(/\/\/[^@]*@/, "//")}; fsync on, full_page_writes on, shared_buffers 128MB, synchronous_commit on)`);
  const config = (name: string) => base(`vantage: { name: "${name}", region: "bench" }`, `store: { url: "${url}" }\n`);
  const t2 = performance.now();
  const watchers = await Promise.all(NAMES.map((name) => startWatcher(name, config(name))));
  console.log(`   ${watchers.map((w) => `${w.name} pid ${w.pid} ready in ${s(w.readyAt - t2)}`).join(", ")}`);
  await warmUp(watchers, true);
  const machine0 = readMachineCpu();
  const nodesCpu = () => nodes.helpers.reduce((sum, h) => sum + readCpu(h.pid).total, 0);
  const nodes0 = nodesCpu();
  const self0 = process.cpuUsage();
  const pg0 = await stats.read();
  let pgLast: PgReading = pg0;
  let pgLastAt = performance.now();
  const alertsBefore = receiver.alerts.length;
  const w0 = performance.now();
  const figures = await measure(watchers, async () => {
    const r = await stats.read();
    const rows = writtenBetween(pgLast, r).reduce((n, t) => n + t.written, 0);
    const perS = rows / ((performance.now() - pgLastAt) / 1000);
    [pgLast, pgLastAt] = [r, performance.now()];
    return `PostgreSQL ${Math.round(perS)} rows/s, db ${f(mb(r.databaseBytes), 1)} MB`;
  });
  const windowS = (performance.now() - w0) / 1000;
  const pg1 = await stats.read();
  const machine1 = readMachineCpu();
  const nodes1 = nodesCpu();
  const self1 = process.cpuUsage(self0);
  const alertsInWindow = receiver.alerts.length - alertsBefore;

  // ── 3. fail-overs, each with a node going down ───────────────────────────────────────────
  console.log(`\n3. fail-overs: kill -9 of the leader, until another watcher's /healthz says it leads; the killed one started again`);
  const downs: { host: string; node: string; at: number }[] = [];
  const failovers: number[] = [];
  const alertBoundMs = 4 * INTERVAL_S * 1000;
  for (let k = 0; k < FAILOVERS; k++) {
    const leader = await theLeader(watchers, 2 * INTERVAL_S * 1000);
    if (leader === null) {
      console.log(`   fail-over ${k + 1}  no single leader among the ${watchers.length} watchers within 2 intervals: stopped here`);
      break;
    }
    const i = Math.floor(((k + 0.5) * NODES) / FAILOVERS);
    const down = { host: addresses[i]!, node: label(i), at: Date.now() };
    await nodes.down(down.host);
    downs.push(down);
    const delayMs = (k * INTERVAL_S * 1000) / 3;
    await sleep(delayMs);
    const killedAt = performance.now();
    leader.helper.child.kill("SIGKILL");
    if (leader.helper.child.exitCode === null && leader.helper.child.signalCode === null) await once(leader.helper.child, "exit");
    live.delete(leader);
    const rest = watchers.filter((w) => w !== leader);
    const took = await leaderAmong(rest, killedAt + alertBoundMs);
    const ms = took === null ? Infinity : performance.now() - killedAt;
    failovers.push(ms);
    const tRestart = performance.now();
    const again = await startWatcher(leader.name, config(leader.name));
    watchers[watchers.indexOf(leader)] = again;
    const alert = await receiver.waitFor((a) => a.kind === "down" && a.node === down.node, Math.max(0, down.at + alertBoundMs - Date.now()));
    console.log(
      `   fail-over ${k + 1}  ${down.node} down, ${s(delayMs, 0)} later killed ${leader.name} (leader): ` +
        (took === null ? `NO other watcher led within ${s(alertBoundMs, 0)}` : `${took.name} led after ${s(ms)}`) +
        `; ${leader.name} started again, ready in ${s(again.readyAt - tRestart)}; down alert for ${down.node} ` +
        (alert === null ? `NOT received within ${s(alertBoundMs, 0)} of the node going down` : `received ${s(alert.at - down.at)} after it went down`),
    );
  }
  // Late alerts and duplicates: one more interval after the last alert was due.
  const lastDue = Math.max(...downs.map((d) => d.at + alertBoundMs));
  while (Date.now() < lastDue && !downs.every((d) => receiver.alerts.some((a) => a.kind === "down" && a.node === d.node))) await sleep(1000);
  await sleep(INTERVAL_S * 1000);
  const leadersAtEnd = (await Promise.all(watchers.map((w) => health(w, 10_000)))).filter((h) => h?.fleet?.leader === true).length;

  // ── results ────────────────────────────────────────────────────────────────────────────────
  const min = windowS / 60;
  console.log(`\nresults over ${f(windowS, 1)} s (${f(min, 2)} min) per phase${ANCHOR ? "; the single watcher on SQLite measured the same way in the same run, just before" : ""}`);
  if (anchor !== null) {
    console.log(`  single watcher, SQLite    CPU ${f(anchor.share * 100)} % of one core (${f(anchor.cpuS / min)} s per minute), peak RSS ${f(anchor.peakMB, 1)} MB, ${anchor.probes} probes, ${anchor.missed} missed slots`);
  }
  const ratios: boolean[] = [];
  for (let k = 0; k < NAMES.length; k++) {
    const w = figures[k]!;
    const cpuRatio = anchor === null ? NaN : w.share / anchor.share;
    const rssRatio = anchor === null ? NaN : w.peakMB / anchor.peakMB;
    const ok = cpuRatio <= TARGET.ratio && rssRatio <= TARGET.ratio;
    ratios.push(ok);
    const vs = (r: number) => (anchor === null ? "no anchor" : `${f(r)}× the single watcher (target ≤ ${TARGET.ratio}×) ${met(r <= TARGET.ratio)}`);
    console.log(`  watcher ${NAMES[k]!.padEnd(18)}CPU ${f(w.share * 100)} % of one core (${f(w.cpuS / min)} s per minute): ${vs(cpuRatio)}`);
    console.log(`  ${"".padEnd(26)}peak RSS ${f(w.peakMB, 1)} MB: ${vs(rssRatio)}; ${w.probes} probes, ${w.missed} missed slots`);
  }
  const tables = writtenBetween(pg0, pg1);
  const rows = tables.reduce((n, t) => n + t.written, 0);
  console.log(
    `  PostgreSQL rows written   ${f(rows / windowS, 1)} per second (n_tup_ins + n_tup_upd of pg_stat_user_tables over the window: ` +
      `${tables.filter((t) => t.written > 0).slice(0, 5).map((t) => `${t.table} ${f(t.written / windowS, 1)}`).join(", ")})`,
  );
  const growthPerDay = ((pg1.databaseBytes - pg0.databaseBytes) / min) * 1440;
  console.log(
    `  PostgreSQL growth per day ${f(growthPerDay / 1024 ** 3, 2)} GB (pg_database_size ${f(mb(pg0.databaseBytes), 1)} → ${f(mb(pg1.databaseBytes), 1)} MB over the window, × 1440 / ${f(min, 2)} min)` +
      ` = ${f(((growthPerDay / 1024 ** 3) * 10_000) / NODES, 2)} GB per day per 10,000 nodes with ${NAMES.length} vantages; WAL ${f(mb(pg1.walBytes - pg0.walBytes) / min, 1)} MB per minute`,
  );
  // Of that, only the raw probes grow with every day kept (rolled up after watch.rawRetentionDays); the newest
  // results and heartbeats are bounded by the fleet's size, though their updates leave dead rows until autovacuum.
  const probesWritten = tables.find((t) => t.table === "probes")?.written ?? 0;
  const probesPerDay = ((pg1.probesBytes - pg0.probesBytes) / min) * 1440;
  console.log(
    `  raw probes' growth        ${f(probesPerDay / 1024 ** 3, 2)} GB per day (table probes with its index, ${f(mb(pg0.probesBytes), 1)} → ${f(mb(pg1.probesBytes), 1)} MB; ` +
      `${f(probesWritten === 0 ? 0 : (pg1.probesBytes - pg0.probesBytes) / probesWritten, 0)} bytes per probe); the rest is bounded by the fleet's size`,
  );
  const cores = cpus().length;
  const machineBusy = machine1.busy - machine0.busy;
  const pgCpu = pg1.cpu - pg0.cpu;
  const watchersCpu = figures.reduce((n, w) => n + w.cpuS, 0);
  const selfCpu = (self1.user + self1.system) / 1e6;
  console.log(`  PostgreSQL CPU            ${f((pgCpu / windowS) * 100)} % of one core (postmaster and backends)`);
  console.log(
    `  machine CPU in the window ${f((machineBusy / (machine1.total - machine0.total)) * 100, 1)} % of ${cores} cores busy: watchers ${f((watchersCpu / windowS) * 100, 1)} %, PostgreSQL ${f((pgCpu / windowS) * 100, 1)} %, ` +
      `simulated nodes ${f(((nodes1 - nodes0) / windowS) * 100, 1)} %, this driver (API simulator, receiver) ${f((selfCpu / windowS) * 100, 1)} % of one core`,
  );
  console.log(`  load average at the end   ${loadavg().map((x) => f(x)).join(" ")} (1, 5, 15 min)`);
  console.log(`  alerts in the window      ${alertsInWindow} (all nodes healthy, expected 0)`);
  const done = failovers.filter(Number.isFinite);
  const sorted = [...failovers].sort((a, b) => a - b);
  const median = sorted.length === 0 ? Infinity : sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  const failoverOk = failovers.length === FAILOVERS && done.length === FAILOVERS && Math.max(...failovers) < TARGET.failoverIntervals * INTERVAL_S * 1000;
  console.log(
    `  leader fail-over (kill -9) median ${Number.isFinite(median) ? s(median) : "none"} over ${failovers.length} (${failovers.map((x) => (Number.isFinite(x) ? f(x / 1000, 1) : "never")).join(", ")} s; polled every ~0.25 s); ` +
      `target < ${TARGET.failoverIntervals} intervals = ${TARGET.failoverIntervals * INTERVAL_S} s, each: ${met(failoverOk)}; ${leadersAtEnd} leader among the ${watchers.length} watchers at the end`,
  );
  const downAlerts = receiver.alerts.filter((a) => a.kind === "down");
  const expected = new Set(downs.map((d) => d.node));
  const delivered = [...expected].filter((n) => downAlerts.some((a) => a.node === n)).length;
  const duplicate = downAlerts.filter((a) => expected.has(a.node)).length - delivered;
  const unexpected = downAlerts.filter((a) => !expected.has(a.node)).length;
  const lost = expected.size - delivered;
  const alertsOk = downs.length === FAILOVERS && lost === 0 && duplicate === 0 && unexpected === 0;
  console.log(`  down alerts               ${delivered} delivered of ${expected.size} expected: ${lost} lost, ${duplicate} duplicate, ${unexpected} for nodes that never went down (target 0 lost, 0 duplicate) ${met(alertsOk)}`);
  const kinds = new Map<string, number>();
  for (const a of receiver.alerts) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
  console.log(`  all alerts received       ${receiver.alerts.length}: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}`);

  const ok = ratios.every((x) => x) && anchor !== null && failoverOk && alertsOk && leadersAtEnd === 1;
  const why = [
    anchor === null ? "no anchor" : null,
    ...figures.map((w, k) => (ratios[k] ? null : `${NAMES[k]} over ${TARGET.ratio}× (CPU ${f(w.share / (anchor?.share ?? NaN))}×, RSS ${f(w.peakMB / (anchor?.peakMB ?? NaN))}×)`)),
    failoverOk ? null : "fail-over",
    alertsOk ? null : "alerts",
    leadersAtEnd === 1 ? null : `${leadersAtEnd} leaders at the end`,
  ].filter((x) => x !== null);
  console.log(`\ntargets (each watcher ≤ ${TARGET.ratio}× the single watcher's CPU and peak RSS, fail-over < ${TARGET.failoverIntervals} intervals, 0 lost and 0 duplicate alerts): ${ok ? "met" : `NOT met (${why.join(", ")})`}`);
  return ok ? 0 : 1;
}

async function health(w: Watcher, timeoutMs: number): Promise<Health | null> {
  try {
    return (await (await fetch(`${w.url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) })).json()) as Health;
  } catch {
    return null;
  }
}

/** The one watcher whose /healthz says it leads, once exactly one does (null if none within `ms`). */
async function theLeader(ws: readonly Watcher[], ms: number): Promise<Watcher | null> {
  for (const end = performance.now() + ms; performance.now() < end; await sleep(500)) {
    const hs = await Promise.all(ws.map((w) => health(w, 10_000)));
    const leading = ws.filter((_, k) => hs[k]?.fleet?.leader === true);
    if (leading.length === 1) return leading[0]!;
  }
  return null;
}

/** The first of `ws` whose /healthz says it leads, asked every ~0.25 s until `deadline` (performance.now()). */
async function leaderAmong(ws: readonly Watcher[], deadline: number): Promise<Watcher | null> {
  while (performance.now() < deadline) {
    for (const w of ws) if ((await health(w, 5_000))?.fleet?.leader === true) return w;
    await sleep(250);
  }
  return null;
}

/** Warm-up as in bench:watch: a full interval after the last watcher was ready, every node probed by each (and, in a fleet, one leader). */
async function warmUp(ws: readonly Watcher[], fleet: boolean): Promise<void> {
  const from = Math.max(...ws.map((w) => w.readyAt));
  for (;;) {
    const hs = await Promise.all(ws.map((w) => health(w, 30_000)));
    const now = performance.now();
    const leaders = hs.filter((h) => h?.fleet?.leader === true).length;
    const done = now >= from + (INTERVAL_S + 5) * 1000 && hs.every((h) => (h?.probes ?? 0) >= NODES) && (!fleet || leaders === 1);
    if (done || now > from + 3 * INTERVAL_S * 1000) {
      const each = ws.map((w, k) => `${w.name} ${hs[k]?.probes ?? "?"} probes, ${hs[k]?.status ?? "no answer"}${fleet ? (hs[k]?.fleet?.leader ? ", leads" : "") : ""}, RSS ${f(MB(readMem(w.pid).rss), 1)} MB`);
      console.log(`   warm-up    ${f((now - from) / 1000, 0)} s${done ? "" : " (bounded: not every condition met)"}: ${each.join("; ")}`);
      return;
    }
    await sleep(2000);
  }
}

/** The window: MINUTES of each watcher's CPU (/proc/<pid>/stat), then its peak RSS (VmHWM) and missed slots (/metrics, scraped after the window). */
async function measure(ws: readonly Watcher[], extra: () => Promise<string>): Promise<Figures[]> {
  const h0 = await Promise.all(ws.map((w) => health(w, 30_000)));
  const cpu0 = ws.map((w) => readCpu(w.pid).total);
  const w0 = performance.now();
  let last = [...cpu0];
  let lastProbes = h0.map((h) => h?.probes ?? 0);
  for (let minute = 1; minute <= Math.ceil(MINUTES); minute++) {
    const until = w0 + Math.min(minute, MINUTES) * 60_000;
    while (performance.now() < until) await sleep(Math.min(1000, until - performance.now()));
    const hs = await Promise.all(ws.map((w) => health(w, 30_000)));
    const now = ws.map((w) => readCpu(w.pid).total);
    const each = ws.map((w, k) => `${w.name} ${(hs[k]?.probes ?? NaN) - lastProbes[k]!} probes, CPU ${f(now[k]! - last[k]!)} s, RSS ${f(MB(readMem(w.pid).rss), 1)} MB`);
    console.log(`   minute ${String(minute).padStart(2)}  ${each.join("; ")}; ${await extra()}`);
    last = now;
    lastProbes = hs.map((h) => h?.probes ?? NaN);
  }
  const cpu1 = ws.map((w) => readCpu(w.pid).total);
  const wallS = (performance.now() - w0) / 1000;
  const mem = ws.map((w) => readMem(w.pid));
  const h1 = await Promise.all(ws.map((w) => health(w, 30_000)));
  const missed = await Promise.all(ws.map(async (w) => {
    const text = await (await fetch(`${w.url}/metrics`, { signal: AbortSignal.timeout(120_000) })).text();
    return Number(/^nodeward_missed_slots_total (\S+)$/m.exec(text)?.[1] ?? NaN);
  }));
  return ws.map((_, k) => ({
    cpuS: cpu1[k]! - cpu0[k]!,
    share: (cpu1[k]! - cpu0[k]!) / wallS,
    probes: (h1[k]?.probes ?? NaN) - (h0[k]?.probes ?? NaN),
    peakMB: MB(mem[k]!.hwm),
    missed: missed[k]!,
  }));
}
