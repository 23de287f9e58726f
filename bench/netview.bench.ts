/**
 * bench:netview — the network's view of each SmartNode (issue 14): "1,000 nodes × 3 peers;
 * queries/s and CPU per query; must not disturb bench:watch's figures by more than 10 % when both run."
 *
 *   this driver      Part A's survey (createSurvey, as the watcher and `nodeward netview` run it) and
 *                    the measurements: process.cpuUsage() and VmHWM of this process, which holds
 *                    nothing else while a round runs;
 *   probe-nodes.ts   the SmartNodes, as in bench:watch (bench/lib/nodes.ts), each on its own loopback
 *                    address on the real ports, every one of them a synced peer answering dseg and
 *                    getdata from one simulated SmartNode list of the whole fleet (bench/lib/netlist.ts):
 *                    each node's collateral, announced at 198.18.a.b for the node on 127.80.a.b (the
 *                    simulator, like Core-Smart, hands out no entry at a local address), 12 in 20
 *                    ENABLED with a fresh ping, the others stale (35, 40, 90, 180 min), never pinged,
 *                    just started, on an old protocol, or not listed at all.
 *
 * Part A, the survey alone: the first BENCH_SURVEY_NODES nodes (1,000) are the targets and the
 * fleet peers, peersPerNode 3 (netview's default), for BENCH_ROUNDS rounds back to back. Prints
 * queries (target × peer) per second, wall per round, CPU per query, peak RSS, and checks every
 * verdict against the list (state, peers' answers, announce address, problems, ping age): a round
 * with one wrong verdict fails the bench.
 *
 * Environment: BENCH_SURVEY_NODES (1000), BENCH_PEERS_PER_NODE (3), BENCH_ROUNDS (5),
 * BENCH_BASE_ADDRESS (127.80.0.1).
 */
import { cpus, loadavg } from "node:os";
import { findCoin } from "../src/coins/index.ts";
import { createSurvey, SURVEY_CONCURRENCY } from "../src/netview/survey.ts";
import { MAX_OUTPOINTS_PER_CONNECTION } from "../src/netview/ask-peer.ts";
import { choosePeers, peerKey } from "../src/netview/choose-peers.ts";
import type { NetviewTarget } from "../src/netview/ports.ts";
import { loopbackAddresses } from "./lib/loopback.ts";
import { benchListings, BENCH_P2P_PORT, type BenchListing } from "./lib/netlist.ts";
import { verdictErrors } from "./lib/netview-check.ts";
import { startNodeProcesses } from "./lib/nodes.ts";
import { readMem } from "./lib/proc.ts";
import { sourceVersion } from "./lib/source.ts";

const SURVEY_NODES = Number(process.env["BENCH_SURVEY_NODES"] ?? 1_000);
const PEERS = Number(process.env["BENCH_PEERS_PER_NODE"] ?? 3);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 5);
const BASE = process.env["BENCH_BASE_ADDRESS"] ?? "127.80.0.1";
const TIMEOUT_MS = 15_000;
/** A round must fit in netview.intervalSeconds' default, or the watcher could not keep its own pace. */
const TARGET = { roundS: 300 };
if (!Number.isInteger(SURVEY_NODES) || SURVEY_NODES < 2 || SURVEY_NODES > 20_000 || !Number.isInteger(PEERS) || PEERS < 1 || PEERS > 10 || PEERS >= SURVEY_NODES || !Number.isInteger(ROUNDS) || ROUNDS < 1 || ROUNDS > 100) {
  console.error("BENCH_SURVEY_NODES must be 2–20000, BENCH_PEERS_PER_NODE 1–10 (fewer than the nodes), BENCH_ROUNDS 1–100");
  process.exit(2);
}

const repo = new URL("..", import.meta.url).pathname;
const coin = findCoin("smartcash")!;
const MB = (kib: number) => kib / 1024;
const f = (x: number, d = 2) => x.toFixed(d);
const met = (ok: boolean) => (ok ? "met" : "NOT met");

console.log(`bench:netview — Part A: the survey alone, ${SURVEY_NODES} SmartNodes × ${PEERS} peers, ${ROUNDS} rounds back to back`);
console.log(`  source     ${sourceVersion(repo)}; node ${process.version}, ${cpus().length} CPUs; load average ${loadavg().map((x) => f(x)).join(" ")} at the start (other work on the machine skews every figure)`);

const cleanups: (() => Promise<unknown>)[] = [];
let exitCode = 1;
try {
  exitCode = await main();
} catch (e) {
  console.error(`bench:netview failed: ${(e as Error).stack ?? String(e)}`);
} finally {
  for (const c of cleanups.reverse()) await c().catch((e: unknown) => console.error(`cleanup: ${(e as Error).message}`));
}
process.exit(exitCode);

async function main(): Promise<number> {
  const addresses = loopbackAddresses(BASE, SURVEY_NODES);
  const listings = benchListings(addresses, "mixed");
  const t0 = performance.now();
  const nodes = await startNodeProcesses(repo, addresses, { network: { mix: "mixed" } });
  cleanups.push(() => nodes.stop());
  const [where, limits] = nodes.describe(performance.now() - t0);
  console.log(`  nodes      ${where}`);
  console.log(`             ${limits}`);
  const kinds = new Map<string, number>();
  for (const l of listings) kinds.set(`${l.kind} → ${l.expected}`, (kinds.get(`${l.kind} → ${l.expected}`) ?? 0) + 1);
  console.log(`  list       ${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}; announced at ${listings[0]!.announceIp}–${listings[listings.length - 1]!.announceIp}`);
  return surveyAlone(listings);
}

/** Part A: ROUNDS surveys of every node, measured one by one, each verdict checked. */
async function surveyAlone(listings: readonly BenchListing[]): Promise<number> {
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
  // Connections a round: one per peer and MAX_OUTPOINTS_PER_CONNECTION of its targets, as the survey groups them.
  const perPeer = new Map<string, number>();
  for (const c of choosePeers(targets, [], fleetPeers, PEERS)) for (const p of c.peers) perPeer.set(peerKey(p), (perPeer.get(peerKey(p)) ?? 0) + 1);
  const connections = [...perPeer.values()].reduce((n, k) => n + Math.ceil(k / MAX_OUTPOINTS_PER_CONNECTION), 0);
  console.log(`  survey     createSurvey(smartcash): ${queries} queries a round (${SURVEY_NODES} targets × ${PEERS} peers, the fleet's own nodes, rotated; none asked about itself), ${connections} connections (≤ ${MAX_OUTPOINTS_PER_CONNECTION} outpoints each), ${SURVEY_CONCURRENCY} at a time, timeout ${TIMEOUT_MS / 1000} s`);
  const rss0 = readMem(process.pid);
  console.log(`  this process before the first round: RSS ${f(MB(rss0.rss), 1)} MB (VmHWM ${f(MB(rss0.hwm), 1)} MB: modules, the list, the targets)\n`);

  interface Round {
    wallS: number;
    cpuS: number;
    userS: number;
    systemS: number;
    wrong: number;
  }
  const rounds: Round[] = [];
  const answers = new Map<string, number>();
  const wrongExamples: string[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const verdicts = await survey(targets, { peers: [], fleetPeers, peersPerNode: PEERS, timeoutMs: TIMEOUT_MS });
    const wallS = (performance.now() - w0) / 1000;
    const c = process.cpuUsage(c0);
    // The check runs after the measurement: its CPU is not the survey's.
    let wrong = 0;
    for (const { nodeId, verdict } of verdicts) {
      for (const p of verdict.peers) answers.set(p.answer.kind, (answers.get(p.answer.kind) ?? 0) + 1);
      const errors = verdictErrors(byId.get(nodeId)!, verdict, PEERS);
      if (errors.length === 0) continue;
      wrong++;
      if (wrongExamples.length < 5) wrongExamples.push(`round ${r} ${nodeId} (${byId.get(nodeId)!.kind}): ${errors.join("; ")}`);
    }
    wrong += Math.abs(targets.length - verdicts.length);
    const cpuS = (c.user + c.system) / 1e6;
    rounds.push({ wallS, cpuS, userS: c.user / 1e6, systemS: c.system / 1e6, wrong });
    console.log(
      `  round ${String(r).padStart(2)}   ${f(wallS, 1)} s, ${f(queries / wallS, 0)} queries/s, CPU ${f(cpuS)} s (${f((cpuS * 1000) / queries, 3)} ms per query), ` +
        `RSS ${f(MB(readMem(process.pid).rss), 1)} MB; verdicts: ${verdicts.length - wrong} of ${targets.length} as scripted`,
    );
  }

  const mem = readMem(process.pid);
  const wall = rounds.reduce((n, r) => n + r.wallS, 0);
  const cpu = rounds.reduce((n, r) => n + r.cpuS, 0);
  const sorted = [...rounds].sort((a, b) => a.wallS - b.wallS);
  const wrong = rounds.reduce((n, r) => n + r.wrong, 0);
  const total = queries * ROUNDS;
  console.log(`\nresults of Part A over ${ROUNDS} rounds (${f(wall, 1)} s)`);
  console.log(`  queries                   ${total} (target × peer), ${f(total / wall, 1)} per second over all rounds`);
  console.log(`  wall per round            median ${f(sorted[Math.floor((sorted.length - 1) / 2)]!.wallS, 1)} s, min ${f(sorted[0]!.wallS, 1)} s, max ${f(sorted[sorted.length - 1]!.wallS, 1)} s (target < ${TARGET.roundS} s, netview.intervalSeconds' default)`);
  console.log(
    `  CPU per query             ${f((cpu * 1000) / total, 3)} ms (user ${f((rounds.reduce((n, r) => n + r.userS, 0) * 1000) / total, 3)}, system ${f((rounds.reduce((n, r) => n + r.systemS, 0) * 1000) / total, 3)}); ` +
      `${f(cpu / ROUNDS, 2)} s per round = ${f((cpu / wall) * 100, 1)} % of one core while surveying`,
  );
  console.log(`  peak RSS                  ${f(MB(mem.hwm), 1)} MB (VmHWM of this process; ${f(MB(rss0.rss), 1)} MB before the first round, ${f(MB(mem.rss), 1)} MB at the end)`);
  console.log(`  peer answers              ${[...answers].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  console.log(`  verdicts                  ${SURVEY_NODES * ROUNDS - wrong} of ${SURVEY_NODES * ROUNDS} as the list says${wrong > 0 ? `; first wrong: ${wrongExamples.join(" | ")}` : ""}`);
  const ok = wrong === 0 && sorted[sorted.length - 1]!.wallS < TARGET.roundS;
  console.log(`\nPart A (every verdict as scripted, each round < ${TARGET.roundS} s): ${met(ok)}`);
  return ok ? 0 : 1;
}
