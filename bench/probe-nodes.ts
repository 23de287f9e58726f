/**
 * Starts simulated SmartNodes in this process, for the benchmarks that probe them from another
 * process (so that the prober's or watcher's CPU and memory are measured alone).
 *
 *   node --import tsx bench/probe-nodes.ts 1000 [--sapi]
 *     N nodes on 127.0.0.1, each on its own free ports (bench:probe).
 *
 *   node --import tsx bench/probe-nodes.ts --addresses 127.80.0.1 10000 --fixed-ports --sapi
 *     COUNT nodes, each on its own loopback address from BASE (last octets 0 and 255 skipped),
 *     with --fixed-ports on the real ports (P2P 9678, SAPI 8080) like real SmartNodes (bench:watch).
 *     Needs about 2 open files per node: raise the soft limit (prlimit/ulimit -n) for large COUNTs.
 *
 *   … --network BASE COUNT [--mix mixed|healthy]
 *     The nodes answer dseg and getdata from one simulated SmartNode list holding the whole fleet's
 *     COUNT nodes from BASE (not only this process's), as bench/lib/netlist.ts describes them
 *     (bench:netview); the same BASE and COUNT give the same list in every process. Default mix:
 *     mixed. Without --network the nodes keep no list (dseg is silent), as before.
 *
 * Prints one JSON line when every node listens:
 *   {"ready":true,"nodes":[{"host":…,"p2pPort":…,"sapiPort":…},…],"startMs":…,"listed":…,"openFileLimit":…}
 * (listed: the entries of the SmartNode list, 0 without --network).
 * Commands on stdin, one per line:
 *   down HOST     closes the node at HOST (both ports; bench:fleet's node outages), then prints {"down":HOST}
 *   stats         prints {"stats":{handshakes,rejects,dsegs,getdatas,listRequests}}, summed over this
 *                 process's nodes since they started (bench:netview counts the survey's questions)
 * Closes every node and exits on SIGTERM, SIGINT, or when stdin closes (the parent went away).
 */
import { createInterface } from "node:readline";
import { findCoin } from "../src/coins/index.ts";
import { p2pParamsFor, type P2pParams } from "../src/p2p/params.ts";
import { createNetworkList, startSimulatedNode, type NetworkList, type SimulatedNode } from "../src/sim/smartnode/index.ts";
import { benchListings, LIST_MIXES, type ListMix } from "./lib/netlist.ts";
import { loopbackAddresses } from "./lib/loopback.ts";
import { openFileLimit } from "./lib/proc.ts";

const USAGE =
  "usage: probe-nodes.ts N [--sapi]  |  probe-nodes.ts --addresses BASE COUNT [--fixed-ports] [--sapi]   (N, COUNT from 1 to 20000)\n" +
  "       either with --network BASE COUNT [--mix mixed|healthy] (the fleet's SmartNode list)";
const argv = process.argv.slice(2);
const at = argv.indexOf("--addresses");
const withSapi = argv.includes("--sapi");
const fixedPorts = argv.includes("--fixed-ports");
const count = Number(at >= 0 ? argv[at + 2] : argv[0] ?? 1000);
if (!Number.isInteger(count) || count < 1 || count > 20_000 || (fixedPorts && at < 0)) {
  console.error(`${USAGE}; got ${JSON.stringify(argv.join(" "))}`);
  process.exit(2);
}
let hosts: string[];
try {
  hosts = at >= 0 ? loopbackAddresses(argv[at + 1] ?? "", count) : Array.from({ length: count }, () => "127.0.0.1");
} catch (e) {
  console.error(`probe-nodes: ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const limit = openFileLimit();
const need = count * (withSapi ? 2 : 1) + 512;
if (limit.soft < need) {
  console.error(`probe-nodes: ${count} nodes need about ${need} open files, the soft limit is ${limit.soft} (hard ${limit.hard}): raise it (prlimit --nofile=N:N, ulimit -n N)`);
  process.exit(2);
}
const coin = findCoin("smartcash")!;
const params = p2pParamsFor(coin) as P2pParams;
let network: NetworkList | undefined;
try {
  network = networkOf(argv);
} catch (e) {
  console.error(`probe-nodes: ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}

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
process.stdin.on("error", () => void shutdown(0));
createInterface({ input: process.stdin })
  .on("line", (line) => {
    const [verb, host] = line.trim().split(/\s+/);
    if (verb === "stats") {
      const sum = { handshakes: 0, rejects: 0, dsegs: 0, getdatas: 0, listRequests: 0 };
      for (const n of nodes) for (const [k, v] of Object.entries(n.stats())) sum[k as keyof typeof sum] += v;
      console.log(JSON.stringify({ stats: sum }));
      return;
    }
    const i = verb === "down" ? nodes.findIndex((n) => n.host === host) : -1;
    if (i < 0) {
      console.error(`probe-nodes: ignored ${JSON.stringify(line)} (commands: down HOST, HOST one of this process's nodes; stats)`);
      return;
    }
    const [node] = nodes.splice(i, 1);
    void node!.close().then(() => console.log(JSON.stringify({ down: host })));
  })
  .on("close", () => void shutdown(0));

const started = performance.now();
const sapiPort = (): number | false => (withSapi ? (fixedPorts ? 8080 : 0) : false);
try {
  // Bounded parallelism: a few hundred listens at a time start 10,000 nodes in seconds.
  for (let i = 0; i < count; i += 200) {
    const batch = hosts.slice(i, i + 200).map((host, j) =>
      startSimulatedNode({ host, p2pPort: fixedPorts ? 9678 : 0, params, sapiPort: sapiPort(), height: 2_500_000 + (at >= 0 ? 0 : i + j), ...(network ? { network } : {}) }),
    );
    const settled = await Promise.allSettled(batch);
    for (const s of settled) if (s.status === "fulfilled") nodes.push(s.value);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  }
} catch (err) {
  console.error(`probe-nodes: could not start node ${nodes.length + 1} of ${count}: ${(err as Error).message}`);
  await shutdown(1);
}
console.log(
  JSON.stringify({
    ready: true,
    nodes: nodes.map((n) => ({ host: n.host, p2pPort: n.p2pPort, sapiPort: n.sapiPort ?? null })),
    startMs: Math.round(performance.now() - started),
    listed: network?.size ?? 0,
    openFileLimit: limit.soft,
  }),
);

/** The list of `--network BASE COUNT [--mix M]`, shared by this process's nodes; undefined without the flag. */
function networkOf(args: readonly string[]): NetworkList | undefined {
  const at = args.indexOf("--network");
  if (at < 0) return undefined;
  const total = Number(args[at + 2]);
  if (!Number.isInteger(total) || total < 1 || total > 20_000) throw new Error(`--network BASE COUNT: COUNT must be 1–20000, got ${JSON.stringify(args[at + 2])}`);
  const m = args.indexOf("--mix");
  const mix = (m < 0 ? "mixed" : args[m + 1]) as ListMix;
  if (!LIST_MIXES.includes(mix)) throw new Error(`--mix must be ${LIST_MIXES.join(" or ")}, got ${JSON.stringify(args[m + 1])}`);
  const list = createNetworkList({ coin });
  for (const l of benchListings(loopbackAddresses(args[at + 1] ?? "", total), mix)) if (l.script !== undefined) list.set(l.script);
  return list;
}
