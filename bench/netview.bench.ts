/**
 * bench:netview — the network's view of each SmartNode (issue 14): "1,000 nodes × 3 peers;
 * queries/s and CPU per query; must not disturb bench:watch's figures by more than 10 % when both run."
 *
 *   this driver      Part A's survey (createSurvey, as the watcher and `nodeward netview` run it) and
 *                    the measurements: process.cpuUsage() and VmHWM of this process, which holds
 *                    nothing else while a round runs; for Part B the Vultr API simulator, the webhook
 *                    receiver, and /proc, /healthz and /metrics of the daemon, as bench:watch;
 *   probe-nodes.ts   the SmartNodes, as in bench:watch (bench/lib/nodes.ts), each on its own loopback
 *                    address on the real ports, every one of them a synced peer answering dseg and
 *                    getdata from one simulated SmartNode list of the whole fleet (bench/lib/netlist.ts):
 *                    each node's collateral, announced at 198.18.a.b for the node on 127.80.a.b (the
 *                    simulator, like Core-Smart, hands out no entry at a local address), 12 in 20
 *                    ENABLED with a fresh ping, the others stale (35, 40, 90, 180 min), never pinged,
 *                    just started, on an old protocol, or not listed at all;
 *   watch-daemon.ts  Part B's daemon, bundled and with the unit's NODE_OPTIONS, as bench:watch runs it.
 *
 * Part A, the survey alone: the first BENCH_SURVEY_NODES nodes (1,000) are the targets and the
 * fleet peers, peersPerNode 3 (netview's default), for BENCH_ROUNDS rounds back to back. Prints
 * queries (target × peer) per second, wall per round, CPU per query, peak RSS, and checks every
 * verdict against the list (state, peers' answers, announce address, problems, ping age) and what
 * the nodes were asked (one dseg per query, never one for the whole list).
 *
 * Part B, bench:watch with and without the network view, in the same run against the same nodes:
 * the daemon at bench:watch's settings over BENCH_NODES nodes (10,000, bench:watch's default),
 * first with netview off (no smartnodes: bench:watch itself), then with smartnodes for
 * BENCH_SMARTNODES of them (1,000, each listed ENABLED with a fresh ping) and
 * netview.intervalSeconds BENCH_NETVIEW_INTERVAL (60: five times as often as the default 300, so
 * that surveys fall in the window at all; the target is judged there, which is harsher than the
 * product's default). Each run: warm-up of one probe interval, then the off-run measured for
 * BENCH_MINUTES and the on-run for at least three netview intervals (three surveys). Compares the
 * daemon's CPU (a share of one core, so windows of different length compare) and peak RSS on/off
 * (target ≤ 1.10×), checks that /metrics has every node ENABLED, and derives the network view's
 * CPU per survey and what it adds at the default interval.
 * The smartnodes entries name the nodes' own addresses (127.80.a.b, how the watcher finds the
 * node), the network has them at 198.18.a.b: each verdict carries that mismatch as a problem
 * (a line of its stored detail; no alert follows from it).
 *
 * Environment: BENCH_PART (all, survey or watch; default all), BENCH_SURVEY_NODES (1000),
 * BENCH_PEERS_PER_NODE (3), BENCH_ROUNDS (3), BENCH_NODES (10000), BENCH_SMARTNODES (1000),
 * BENCH_NETVIEW_INTERVAL (60), BENCH_MINUTES (2: the off-run's window; the on-run's is the longer
 * of it and three netview intervals), BENCH_BASE_ADDRESS (127.80.0.1), BENCH_PROFILE (a directory:
 * V8 CPU profiles of Part A's rounds and of both daemons over their windows, summarised at the end
 * with what the on-daemon spent beyond the off one, by owner; the profiler's overhead is then in the
 * CPU figures of both). The default run takes about 8 minutes.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { findCoin } from "../src/coins/index.ts";
import { choosePeers, MAX_BLOCK, peerKey } from "../src/netview/choose-peers.ts";
import type { NetviewTarget } from "../src/netview/ports.ts";
import { createSurvey, SURVEY_CONCURRENCY } from "../src/netview/survey.ts";
import { startSim } from "../src/sim/server.ts";
import { ownerDifference, printOwners, printSummary, profileSelf, summarize, type CpuProfile } from "./lib/cpuprofile.ts";
import { bundleDaemon, unitNodeOptions } from "./lib/daemon.ts";
import { loopbackAddresses } from "./lib/loopback.ts";
import { benchListings, BENCH_P2P_PORT, type BenchListing } from "./lib/netlist.ts";
import { verdictErrors } from "./lib/netview-check.ts";
import { startNodeProcesses, type NodeProcesses } from "./lib/nodes.ts";
import { readMem } from "./lib/proc.ts";
import { startAlertReceiver } from "./lib/receiver.ts";
import { sourceVersion } from "./lib/source.ts";
import { watchRun, type WatchRunFigures } from "./lib/watch-run.ts";

const PART = process.env["BENCH_PART"] ?? "all";
const SURVEY_NODES = Number(process.env["BENCH_SURVEY_NODES"] ?? 1_000);
const PEERS = Number(process.env["BENCH_PEERS_PER_NODE"] ?? 3);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3);
const NODES = Number(process.env["BENCH_NODES"] ?? 10_000);
const SMARTNODES = Number(process.env["BENCH_SMARTNODES"] ?? 1_000);
const NETVIEW_INTERVAL_S = Number(process.env["BENCH_NETVIEW_INTERVAL"] ?? 60);
const MINUTES = Number(process.env["BENCH_MINUTES"] ?? 2);
/** The on-run's window: three surveys at least. */
const ON_MINUTES = Math.max(MINUTES, (3 * NETVIEW_INTERVAL_S) / 60);
const BASE = process.env["BENCH_BASE_ADDRESS"] ?? "127.80.0.1";
const PROFILE = process.env["BENCH_PROFILE"];
const SURVEY = PART === "all" || PART === "survey";
const WATCH = PART === "all" || PART === "watch";
const TIMEOUT_MS = 15_000;
/** bench:watch's interval (the default); netview's default interval, for the projection. */
const INTERVAL_S = 60;
const DEFAULT_NETVIEW_INTERVAL_S = 300;
/** A round must fit in netview.intervalSeconds' default, or the watcher could not keep its own pace; the daemon within 10 % of bench:watch. */
const TARGET = { roundS: DEFAULT_NETVIEW_INTERVAL_S, ratio: 1.1 };
const problems = [
  SURVEY || WATCH ? null : "BENCH_PART must be all, survey or watch",
  Number.isInteger(SURVEY_NODES) && SURVEY_NODES >= 2 && SURVEY_NODES <= 20_000 ? null : "BENCH_SURVEY_NODES must be 2–20000",
  Number.isInteger(PEERS) && PEERS >= 1 && PEERS <= 10 && PEERS < SURVEY_NODES ? null : "BENCH_PEERS_PER_NODE must be 1–10 (fewer than the nodes)",
  Number.isInteger(ROUNDS) && ROUNDS >= 1 && ROUNDS <= 100 ? null : "BENCH_ROUNDS must be 1–100",
  Number.isInteger(NODES) && NODES >= 1 && NODES <= 20_000 ? null : "BENCH_NODES must be 1–20000",
  // 12 in 20 nodes of the list have a fresh ping: the smartnodes are taken among those.
  Number.isInteger(SMARTNODES) && SMARTNODES >= 1 && SMARTNODES <= Math.floor(NODES / 20) * 12 ? null : "BENCH_SMARTNODES must be 1 to 60 % of BENCH_NODES",
  Number.isInteger(NETVIEW_INTERVAL_S) && NETVIEW_INTERVAL_S >= 5 && NETVIEW_INTERVAL_S <= 3600 ? null : "BENCH_NETVIEW_INTERVAL must be 5–3600 (netview.intervalSeconds)",
  MINUTES > 0 && MINUTES <= 60 ? null : "BENCH_MINUTES must be in (0, 60]",
  ON_MINUTES <= 60 ? null : "three netview intervals must fit in 60 minutes: BENCH_NETVIEW_INTERVAL ≤ 1200",
].filter((x) => x !== null);
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(2);
}

const repo = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "nodeward-bench-netview-"));
const coin = findCoin("smartcash")!;
const MB = (kib: number) => kib / 1024;
const f = (x: number, d = 2) => x.toFixed(d);
const met = (ok: boolean) => (ok ? "met" : "NOT met");

console.log(
  `bench:netview — ${SURVEY ? `Part A: the survey alone, ${SURVEY_NODES} SmartNodes × ${PEERS} peers, ${ROUNDS} rounds back to back` : ""}${SURVEY && WATCH ? "; " : ""}` +
    (WATCH
      ? `Part B: bench:watch's daemon over ${NODES} nodes, netview off then on (${SMARTNODES} smartnodes, netview.intervalSeconds ${NETVIEW_INTERVAL_S}: ${f(DEFAULT_NETVIEW_INTERVAL_S / NETVIEW_INTERVAL_S, 1)}× as often as the default ${DEFAULT_NETVIEW_INTERVAL_S}), ` +
        `${MINUTES} min (off) and ${ON_MINUTES} min (on) measured after a ${INTERVAL_S} s warm-up`
      : ""),
);
console.log(`  source     ${sourceVersion(repo)}; node ${process.version}, ${cpus().length} CPUs; load average ${loadavg().map((x) => f(x)).join(" ")} at the start (other work on the machine skews every figure)`);

const cleanups: (() => Promise<unknown>)[] = [];
let exitCode = 1;
try {
  exitCode = await main();
} catch (e) {
  console.error(`bench:netview failed: ${(e as Error).stack ?? String(e)}`);
} finally {
  for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error(`cleanup: ${(e as Error).message}`));
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

async function main(): Promise<number> {
  const addresses = loopbackAddresses(BASE, Math.max(SURVEY ? SURVEY_NODES : 0, WATCH ? NODES : 0));
  const listings = benchListings(addresses, "mixed");
  const t0 = performance.now();
  const nodes = await startNodeProcesses(repo, addresses, { network: { mix: "mixed" } });
  cleanups.push(() => nodes.stop());
  const [where, limits] = nodes.describe(performance.now() - t0);
  console.log(`  nodes      ${where}`);
  console.log(`             ${limits}`);
  const kinds = new Map<string, number>();
  for (const l of listings) kinds.set(`${l.kind} → ${l.expected}`, (kinds.get(`${l.kind} → ${l.expected}`) ?? 0) + 1);
  console.log(`  list       ${nodes.helpers.reduce((n, h) => Math.max(n, h.ready.listed), 0)} listed in each node process: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}; announced at 198.18.a.b for 127.80.a.b`);
  let ok = true;
  if (SURVEY) ok = (await surveyAlone(listings.slice(0, SURVEY_NODES), nodes)) && ok;
  if (WATCH) ok = (await watchWithAndWithout(listings.slice(0, NODES), nodes)) && ok;
  return ok ? 0 : 1;
}

/** Part A: ROUNDS surveys of every node, measured one by one, each verdict checked. */
async function surveyAlone(listings: readonly BenchListing[], nodes: NodeProcesses): Promise<boolean> {
  const targets: NetviewTarget[] = listings.map((l) => ({
    nodeId: `sn-${String(l.index + 1).padStart(5, "0")}`,
    alias: `mn${l.index + 1}`,
    outpoint: l.outpoint,
    // Both addresses are the node's: the one it listens on (never asked about itself) and the one the network has.
    expected: { ips: [l.address, l.announceIp], port: BENCH_P2P_PORT },
  }));
  const byId = new Map(targets.map((t, i) => [t.nodeId, listings[i]!] as const));
  const fleetPeers = listings.map((l) => ({ host: l.address, port: BENCH_P2P_PORT }));
  const survey = createSurvey(coin);
  const queries = SURVEY_NODES * PEERS;
  // Connections a round: one per (block, peer), as the survey asks them.
  const blocks = choosePeers(targets, [], fleetPeers, PEERS);
  const connections = blocks.reduce((n, b) => n + b.peers.length, 0);
  const peersUsed = new Set(blocks.flatMap((b) => b.peers.map(peerKey))).size;
  console.log(`\nPart A: the survey alone`);
  console.log(
    `  survey     createSurvey(smartcash) in this process: ${queries} queries a round (${SURVEY_NODES} targets × ${PEERS} peers, the fleet's own nodes; none asked about itself), ` +
      `${blocks.length} blocks of ≤ ${MAX_BLOCK} targets, each asked of ${PEERS} peers outside it: ${connections} connections (${peersUsed} distinct peers), ${SURVEY_CONCURRENCY} at a time, timeout ${TIMEOUT_MS / 1000} s`,
  );
  const rss0 = readMem(process.pid);
  console.log(`  this process before the first round: RSS ${f(MB(rss0.rss), 1)} MB (VmHWM ${f(MB(rss0.hwm), 1)} MB: modules, the list, the targets)`);

  interface Round {
    wallS: number;
    userS: number;
    systemS: number;
    wrong: number;
  }
  const rounds: Round[] = [];
  const answers = new Map<string, number>();
  const wrongExamples: string[] = [];
  const asked0 = await nodes.stats();
  // The rounds' profile: the survey, and the bench's checks after each (owned by bench/lib/netview-check.ts).
  const stopProfile = PROFILE === undefined ? undefined : await profileSelf(join(PROFILE, "survey.cpuprofile"));
  for (let r = 1; r <= ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const verdicts = await survey(targets, { peers: [], fleetPeers, peersPerNode: PEERS, timeoutMs: TIMEOUT_MS });
    const wallS = (performance.now() - w0) / 1000;
    const c = process.cpuUsage(c0);
    // The check runs after the measurement: its CPU is not the survey's.
    let wrong = Math.abs(targets.length - verdicts.length);
    for (const { nodeId, verdict } of verdicts) {
      for (const p of verdict.peers) answers.set(p.answer.kind, (answers.get(p.answer.kind) ?? 0) + 1);
      const errors = verdictErrors(byId.get(nodeId)!, verdict, PEERS);
      if (errors.length === 0) continue;
      wrong++;
      if (wrongExamples.length < 5) wrongExamples.push(`round ${r} ${nodeId} (${byId.get(nodeId)!.kind}): ${errors.join("; ")}`);
    }
    const round = { wallS, userS: c.user / 1e6, systemS: c.system / 1e6, wrong };
    rounds.push(round);
    const cpuS = round.userS + round.systemS;
    console.log(
      `  round ${String(r).padStart(2)}   ${f(wallS, 1)} s, ${f(queries / wallS, 0)} queries/s, CPU ${f(cpuS)} s (${f((cpuS * 1000) / queries, 3)} ms per query), ` +
        `RSS ${f(MB(readMem(process.pid).rss), 1)} MB; verdicts: ${targets.length - wrong} of ${targets.length} as scripted`,
    );
  }
  await stopProfile?.();
  const asked1 = await nodes.stats();

  const mem = readMem(process.pid);
  const sum = (pick: (r: Round) => number) => rounds.reduce((n, r) => n + pick(r), 0);
  const wall = sum((r) => r.wallS);
  const cpu = sum((r) => r.userS + r.systemS);
  const sorted = [...rounds].sort((a, b) => a.wallS - b.wallS);
  const wrong = sum((r) => r.wrong);
  const total = queries * ROUNDS;
  const dsegs = asked1.dsegs - asked0.dsegs;
  const listRequests = asked1.listRequests - asked0.listRequests;
  console.log(`\nresults of Part A over ${ROUNDS} rounds (${f(wall, 1)} s)`);
  console.log(`  queries                   ${total} (target × peer), ${f(total / wall, 1)} per second over all rounds`);
  console.log(`  wall per round            median ${f(sorted[Math.floor((sorted.length - 1) / 2)]!.wallS, 1)} s, min ${f(sorted[0]!.wallS, 1)} s, max ${f(sorted[sorted.length - 1]!.wallS, 1)} s (target < ${TARGET.roundS} s, netview.intervalSeconds' default)`);
  console.log(
    `  CPU per query             ${f((cpu * 1000) / total, 3)} ms (user ${f((sum((r) => r.userS) * 1000) / total, 3)}, system ${f((sum((r) => r.systemS) * 1000) / total, 3)}); ` +
      `${f(cpu / ROUNDS, 2)} s per round = ${f((cpu / wall) * 100, 1)} % of one core while surveying; the last round ${f(((rounds[ROUNDS - 1]!.userS + rounds[ROUNDS - 1]!.systemS) * 1000) / queries, 3)} ms (the first pays for V8's warm-up)`,
  );
  console.log(`  peak RSS                  ${f(MB(mem.hwm), 1)} MB (VmHWM of this process; ${f(MB(rss0.rss), 1)} MB before the first round, ${f(MB(mem.rss), 1)} MB at the end)`);
  console.log(`  peer answers              ${[...answers].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  console.log(`  at the nodes              ${dsegs} dseg (expected ${total}: one per query), ${asked1.getdatas - asked0.getdatas} getdata, ${asked1.handshakes - asked0.handshakes} handshakes, ${listRequests} dseg for the whole list (must be 0)`);
  console.log(`  verdicts                  ${SURVEY_NODES * ROUNDS - wrong} of ${SURVEY_NODES * ROUNDS} as the list says${wrong > 0 ? `; first wrong: ${wrongExamples.join(" | ")}` : ""}`);
  const ok = wrong === 0 && dsegs === total && listRequests === 0 && sorted[sorted.length - 1]!.wallS < TARGET.roundS;
  console.log(`\nPart A (every verdict as scripted, one dseg per query and none for the whole list, each round < ${TARGET.roundS} s): ${met(ok)}`);
  if (PROFILE !== undefined) {
    const file = join(PROFILE, "survey.cpuprofile");
    console.log(`\nwhere Part A's CPU goes (V8 CPU profile of this process over the ${ROUNDS} rounds, checks included: ${file})`);
    printSummary(summarize(JSON.parse(readFileSync(file, "utf8")) as CpuProfile), 30);
  }
  return ok;
}

/** Part B: bench:watch's daemon over the fleet, netview off then on, compared. */
async function watchWithAndWithout(listings: readonly BenchListing[], nodes: NodeProcesses): Promise<boolean> {
  console.log(`\nPart B: the watch daemon as bench:watch runs it, netview off, then on`);
  const label = (i: number) => `sn-${String(i + 1).padStart(5, "0")}`;
  const sim = await startSim({ rateLimitPerSecond: false });
  cleanups.push(() => sim.close());
  for (const l of listings) sim.state.addInstance({ label: label(l.index), tags: ["smartnode"], main_ip: l.address });
  const receiver = await startAlertReceiver();
  cleanups.push(() => receiver.close());
  const { file: bundle, remove } = await bundleDaemon(repo);
  cleanups.push(remove);
  const flags = ["--expose-gc", ...unitNodeOptions(repo)];
  console.log(`  runtime    as shipped: bundled like dist/nodeward.mjs, plain node ${flags.filter((x) => x !== "--expose-gc").join(" ")} (NODE_OPTIONS of packaging/nodeward-watch.service), --expose-gc as in bench:watch`);
  const setup = { repo, dir, bundle, flags, apiKey: sim.apiKey, nodes, nodeCount: listings.length, intervalS: INTERVAL_S, minutes: MINUTES, alerts: () => receiver.alerts.length };
  const base = (i: number) => `version: 1
provider: { type: vultr, baseUrl: "${sim.url}" }
coin: smartcash
nodes: { tags: [smartnode] }
watch: { database: "${join(dir, `watch-${i}.db`)}", listen: "127.0.0.1:0" }
alerts:
  channels:
    - { type: webhook, name: bench-hook, url: "${receiver.origin}/hook" }
`;
  // The smartnodes: healthy nodes (a fresh ping, ENABLED), under the address the watcher knows them by.
  const chosen = listings.filter((l) => l.kind === "fresh ping").slice(0, SMARTNODES);
  const smartnodes = chosen.map((l) => `  - { alias: "mn-${l.index + 1}", address: "${l.address}:${BENCH_P2P_PORT}", txid: "${l.outpoint.txid}", index: ${l.outpoint.index} }`).join("\n");
  const withNetview = `${base(2)}smartnodes:\n${smartnodes}\nnetview: { intervalSeconds: ${NETVIEW_INTERVAL_S}, peersPerNode: ${PEERS} }\n`;

  const profile = (name: string) => (PROFILE === undefined ? undefined : join(resolvePath(PROFILE), `${name}.cpuprofile`));
  console.log(`  1. netview off (no smartnodes: bench:watch's config), ${MINUTES} min measured`);
  const off = await watchRun(setup, "netview-off", base(1), profile("daemon-off"));
  console.log(
    `  2. netview on: smartnodes for ${chosen.length} of the ${listings.length} nodes (each listed ENABLED, fresh ping), netview.intervalSeconds ${NETVIEW_INTERVAL_S} ` +
      `(the default is ${DEFAULT_NETVIEW_INTERVAL_S}), peersPerNode ${PEERS}, ${ON_MINUTES} min measured (${f((ON_MINUTES * 60) / NETVIEW_INTERVAL_S, 1)} intervals)`,
  );
  const on = await watchRun({ ...setup, minutes: ON_MINUTES }, "netview-on", withNetview, profile("daemon-on"));
  const ok = printPartB(off, on, chosen.length);
  const [pOn, pOff] = [profile("daemon-on"), profile("daemon-off")];
  if (pOn !== undefined && pOff !== undefined) {
    const read = (file: string) => summarize(JSON.parse(readFileSync(file, "utf8")) as CpuProfile);
    const [sOn, sOff] = [read(pOn), read(pOff)];
    console.log(`\nwhere the netview-on daemon's CPU goes (V8 CPU profiles of both windows: ${pOn}, ${pOff}; PROFILED: both CPU figures include the profiler's overhead)`);
    printSummary(sOn, 30);
    const extra = sOn.busyMs - sOff.busyMs * (sOn.wallMs / sOff.wallMs);
    console.log(
      `\n  what the on-daemon's JS thread spent beyond the off one's, scaled to the same time: ${f(extra / 1000)} s busy ` +
        `(${f(sOn.busyMs / 1000)} s in ${f(sOn.wallMs / 1000, 0)} s on, ${f(sOff.busyMs / 1000)} s in ${f(sOff.wallMs / 1000, 0)} s off); the rest of the on − off CPU is other threads (GC helpers, libuv) and the kernel outside JS calls`,
    );
    printOwners(ownerDifference(sOn, sOff), 20, "  ", "that difference");
  }
  return ok;
}

function printPartB(off: WatchRunFigures, on: WatchRunFigures, smartnodes: number): boolean {
  const cpuRatio = on.share / off.share;
  const rssRatio = on.peakMB / off.peakMB;
  const perSurvey = smartnodes * PEERS;
  const surveys = on.asked.dsegs / perSurvey;
  // The network view's CPU: the on-run's minus what the off-run spent in as long a window.
  const extraCpu = on.cpuS - off.share * on.wallS;
  const perSurveyCpu = surveys > 0 ? extraCpu / surveys : NaN;
  const projected = (off.share + perSurveyCpu / DEFAULT_NETVIEW_INTERVAL_S) / off.share;
  const enabled = on.states.get("ENABLED") ?? 0;
  const statesText = [...on.states].map(([k, n]) => `${n} ${k}`).join(", ") || "none";
  const row = (name: string, a: string, b: string, c = "") => console.log(`  ${name.padEnd(26)}${a.padEnd(22)}${b.padEnd(22)}${c}`);
  console.log(`\nresults of Part B over ${f(off.wallS, 1)} s (off) and ${f(on.wallS, 1)} s (on)`);
  row("", "netview off", "netview on", "on/off");
  row("daemon CPU", `${f(off.share * 100)} % of one core`, `${f(on.share * 100)} % of one core`, `${f(cpuRatio)}× (target ≤ ${TARGET.ratio}×, at netview.intervalSeconds ${NETVIEW_INTERVAL_S}) ${met(cpuRatio <= TARGET.ratio)}`);
  row("  of it in the kernel", `${f((off.systemS / off.wallS) * 100)} %`, `${f((on.systemS / on.wallS) * 100)} %`, "(system time: connect, send, close, epoll)");
  row("peak RSS (VmHWM)", `${f(off.peakMB, 1)} MB`, `${f(on.peakMB, 1)} MB`, `${f(rssRatio)}× (target ≤ ${TARGET.ratio}×) ${met(rssRatio <= TARGET.ratio)}`);
  row("probes done", `${off.probes}`, `${on.probes}`, `${f(on.probes / off.probes)}×`);
  row("missed slots, since start", `${off.missed}`, `${on.missed}`);
  row("alerts in the window", `${off.alerts}`, `${on.alerts}`, "(all nodes healthy, expected 0)");
  row("dseg at the nodes", `${off.asked.dsegs}`, `${on.asked.dsegs}`, `= ${f(surveys, 2)} surveys of ${smartnodes} × ${PEERS} in the window; ${on.asked.listRequests + off.asked.listRequests} for the whole list (must be 0)`);
  console.log(`  network's view, /metrics  ${statesText} after the window (expected ${smartnodes} ENABLED)`);
  console.log(
    `  the network view's cost   ${f(extraCpu)} s of CPU over the window (on − off × the same time; ${f(on.systemS - (off.systemS / off.wallS) * on.wallS)} s of it in the kernel) = ${f(perSurveyCpu)} s per survey of ${smartnodes} nodes ` +
      `(${f((perSurveyCpu * 1000) / perSurvey, 3)} ms per query, against Part A's survey alone); the target at this interval allows ${f((TARGET.ratio - 1) * off.share * NETVIEW_INTERVAL_S)} s per survey`,
  );
  console.log(
    `                            at the default netview.intervalSeconds (${DEFAULT_NETVIEW_INTERVAL_S}): +${f((perSurveyCpu / DEFAULT_NETVIEW_INTERVAL_S) * 100, 2)} % of one core, ` +
      `${f(projected)}× the daemon without it (projected from the figures above, not measured)`,
  );
  const checks = enabled === smartnodes && on.states.size === 1 && on.alerts === 0 && off.alerts === 0 && on.asked.listRequests + off.asked.listRequests === 0;
  const ok = cpuRatio <= TARGET.ratio && rssRatio <= TARGET.ratio && checks;
  const why = [
    cpuRatio <= TARGET.ratio ? null : `CPU ${f(cpuRatio)}×`,
    rssRatio <= TARGET.ratio ? null : `RSS ${f(rssRatio)}×`,
    checks ? null : "the network's view, alerts or dseg not as expected",
  ].filter((x) => x !== null);
  console.log(`\nPart B (CPU and peak RSS with the network view ≤ ${TARGET.ratio}× without, every smartnode ENABLED, 0 alerts, no dseg for the whole list): ${ok ? "met" : `NOT met (${why.join(", ")})`}`);
  return ok;
}
