/**
 * bench:probe — handshake 1,000 simulated SmartNodes that run in a separate process, with bounded
 * concurrency, for a few rounds. Prints handshakes per second, CPU seconds per 1,000 probes (of
 * this prober process only), peak RSS, and failures, which must be 0.
 *
 * Environment: BENCH_NODES (1000), BENCH_CONCURRENCY (100), BENCH_ROUNDS (3).
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { findCoin } from "../src/coins/index.ts";
import { handshake, type HandshakeResult } from "../src/p2p/handshake.ts";
import { p2pParamsFor, type P2pParams } from "../src/p2p/params.ts";

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const params = p2pParamsFor(findCoin("smartcash")!) as P2pParams;

const script = new URL("./probe-nodes.ts", import.meta.url).pathname;
const repoRoot = new URL("..", import.meta.url).pathname;
const child = spawn(process.execPath, ["--import", "tsx", script, String(NODES)], { cwd: repoRoot, stdio: ["pipe", "pipe", "inherit"] });
const lines = createInterface({ input: child.stdout });
const ready = await new Promise<{ nodes: { p2pPort: number }[] }>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("probe-nodes.ts did not report ready within 120 s")), 120_000);
  child.once("exit", (code) => reject(new Error(`probe-nodes.ts exited early with code ${code}`)));
  lines.once("line", (line) => {
    clearTimeout(timer);
    resolve(JSON.parse(line) as { nodes: { p2pPort: number }[] });
  });
});
child.removeAllListeners("exit");
const ports = ready.nodes.map((n) => n.p2pPort);

async function round(): Promise<HandshakeResult[]> {
  const results: HandshakeResult[] = new Array(ports.length);
  let next = 0;
  const worker = async () => {
    while (next < ports.length) {
      const i = next++;
      results[i] = await handshake({ host: "127.0.0.1", port: ports[i]! }, params, { timeoutMs: 5000 });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ports.length) }, worker));
  return results;
}

console.log(`bench:probe — ${ports.length} simulated SmartNodes in a separate process, concurrency ${CONCURRENCY}, ${ROUNDS} rounds`);
const rssBefore = process.memoryUsage().rss;
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
let probes = 0;
const failures: Record<string, number> = {};
const latencies: number[] = [];
for (let r = 1; r <= ROUNDS; r++) {
  const t = performance.now();
  const results = await round();
  const ms = performance.now() - t;
  probes += results.length;
  for (const x of results) {
    if (x.status === "up") latencies.push(x.latencyMs);
    else failures[`${x.reason} in ${x.phase}`] = (failures[`${x.reason} in ${x.phase}`] ?? 0) + 1;
  }
  console.log(`  round ${r}: ${results.length} handshakes in ${(ms / 1000).toFixed(2)} s (${Math.round(results.length / (ms / 1000))}/s)`);
}
const wall = (performance.now() - wallStart) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
latencies.sort((a, b) => a - b);
const pct = (p: number) => (latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN).toFixed(2);
const failed = Object.values(failures).reduce((a, b) => a + b, 0);

console.log(`  handshakes per second     ${Math.round(probes / wall)} (${probes} in ${wall.toFixed(2)} s)`);
console.log(`  CPU per 1,000 probes      ${((cpuSeconds / probes) * 1000).toFixed(3)} s (user ${(cpu.user / 1e6).toFixed(2)} s, system ${(cpu.system / 1e6).toFixed(2)} s, prober only)`);
console.log(`  latency p50 / p99 / max   ${pct(0.5)} / ${pct(0.99)} / ${pct(1)} ms (connect → verack, under load)`);
console.log(`  peak RSS                  ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB (prober; ${(rssBefore / 1048576).toFixed(1)} MiB before the first probe)`);
console.log(`  failures                  ${failed}${failed ? ` ${JSON.stringify(failures)}` : ""}`);

child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
process.exitCode = failed === 0 ? 0 : 1;
