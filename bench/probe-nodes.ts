/**
 * Starts N simulated SmartNodes on 127.0.0.1 in this process, for bench:probe (which probes them
 * from another process so that the prober's CPU and memory are measured alone).
 *
 *   node --import tsx bench/probe-nodes.ts 1000 [--sapi]
 *
 * Prints one JSON line when every node listens: {"ready":true,"nodes":[{"p2pPort":…,"sapiPort":…},…]}.
 * Closes every node and exits on SIGTERM, SIGINT, or when stdin closes (the parent went away).
 */
import { findCoin } from "../src/coins/index.ts";
import { p2pParamsFor, type P2pParams } from "../src/p2p/params.ts";
import { startSimulatedNode, type SimulatedNode } from "../src/sim/smartnode/index.ts";

const count = Number(process.argv[2] ?? 1000);
if (!Number.isInteger(count) || count < 1 || count > 20_000) {
  console.error(`usage: probe-nodes.ts N [--sapi]   (N from 1 to 20000, got ${JSON.stringify(process.argv[2])})`);
  process.exit(2);
}
const withSapi = process.argv.includes("--sapi");
const params = p2pParamsFor(findCoin("smartcash")!) as P2pParams;

const nodes: SimulatedNode[] = [];
let closing = false;

async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  await Promise.all(nodes.map((n) => n.close()));
  process.exit(code);
}

process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));
process.stdin.on("end", () => void shutdown(0));
process.stdin.on("error", () => void shutdown(0));
process.stdin.resume();

try {
  for (let i = 0; i < count; i++) {
    nodes.push(await startSimulatedNode({ params, sapiPort: withSapi ? 0 : false, height: 2_500_000 + i }));
  }
} catch (err) {
  console.error(`probe-nodes: could not start node ${nodes.length + 1} of ${count}: ${(err as Error).message}`);
  await shutdown(1);
}
console.log(JSON.stringify({ ready: true, nodes: nodes.map((n) => ({ p2pPort: n.p2pPort, sapiPort: n.sapiPort ?? null })) }));
