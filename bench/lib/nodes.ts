/**
 * The simulated SmartNodes of bench:watch and bench:fleet, in their own processes
 * (bench/probe-nodes.ts), each node on its own loopback address on the real ports. A node needs
 * ~2 listening sockets plus the connections being probed, so the open-file limit bounds the nodes
 * per process: the soft limit is raised to the hard one when needed (prlimit, no privilege
 * needed), and the fleet split over processes when even that is short.
 */
import { join } from "node:path";
import { loopbackAddresses, rangeText } from "./loopback.ts";
import type { ListMix } from "./netlist.ts";
import { openFileLimit, startHelper, stopHelper, type Helper } from "./proc.ts";

type NodesReady = { ready: true; nodes: unknown[]; startMs: number; listed: number; openFileLimit: number };

/** SimulatedNodeStats summed over the nodes: handshakes completed, dseg and getdata messages, dsegs asking for the whole list. */
export interface NodeStats {
  handshakes: number;
  rejects: number;
  dsegs: number;
  getdatas: number;
  listRequests: number;
}

export interface NodeProcesses {
  helpers: Helper<NodesReady>[];
  /** Nodes listening, over all processes. */
  listening: number;
  /** Two lines for the bench's header: where the nodes listen, and how the open-file limit split them. */
  describe(readyMs: number): string[];
  /** Closes the node at `address` (both its ports): probes of it are refused from then on. Resolves once it is closed. */
  down(address: string): Promise<void>;
  /** What the nodes were asked since they started, summed over the processes (SimulatedNodeStats). */
  stats(): Promise<NodeStats>;
  /** Stops every node process. */
  stop(): Promise<void>;
}

export interface NodeProcessOptions {
  /**
   * The nodes answer dseg from one simulated SmartNode list of the whole fleet (bench/lib/netlist.ts
   * with this mix); without it they keep no list, as in bench:watch.
   */
  network?: { mix: ListMix };
}

/** Starts one node per address (P2P 9678 and SAPI 8080), `repo` being the project's root. */
export async function startNodeProcesses(repo: string, addresses: readonly string[], opts: NodeProcessOptions = {}): Promise<NodeProcesses> {
  const total = addresses.length;
  // The node processes rebuild the fleet's list from its first address and its size.
  if (opts.network !== undefined && loopbackAddresses(addresses[0]!, total).some((a, i) => a !== addresses[i])) throw new Error("with a network list, the addresses must be loopbackAddresses(BASE, COUNT)");
  const own = openFileLimit();
  const perNode = 2;
  const spare = 2 * 256 + 1024;
  const maxPerProcess = Math.max(1, Math.floor(((own.hard === Infinity ? 1_048_576 : own.hard) - spare) / perNode));
  const processes = Math.ceil(total / maxPerProcess);
  const perProcess = Math.ceil(total / processes);
  const needEach = perProcess * perNode + spare;
  const raise = own.soft < needEach;
  const helpers: Helper<NodesReady>[] = new Array(processes);
  const started = await Promise.allSettled(
    Array.from({ length: processes }, async (_, k) => {
      const count = Math.min(perProcess, total - k * perProcess);
      const cmd = [process.execPath, "--import", "tsx", join(repo, "bench/probe-nodes.ts"), "--addresses", addresses[k * perProcess]!, String(count), "--fixed-ports", "--sapi"];
      if (opts.network !== undefined) cmd.push("--network", addresses[0]!, String(total), "--mix", opts.network.mix);
      if (raise) cmd.unshift("prlimit", `--nofile=${own.hard === Infinity ? needEach : own.hard}`, "--");
      helpers[k] = await startHelper<NodesReady>(`nodes-${k + 1}`, cmd[0]!, cmd.slice(1), { cwd: repo, timeoutMs: 300_000 });
    }),
  );
  const stop = async () => void (await Promise.all(helpers.filter((h) => h !== undefined).map((h) => stopHelper(h.child, 60_000))));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed !== undefined) {
    await stop();
    throw failed.reason;
  }
  const listening = helpers.reduce((n, h) => n + h.ready.nodes.length, 0);
  return {
    helpers,
    listening,
    describe: (readyMs) => [
      `${listening} listening on ${rangeText(addresses)} :9678 (P2P) and :8080 (SAPI), pids ${helpers.map((h) => h.pid).join(", ")}, ready in ${(readyMs / 1000).toFixed(1)} s`,
      `open-file limit here ${own.soft} (hard ${own.hard}); ${processes} node process${processes > 1 ? "es" : ""} of ≤${perProcess} nodes (≤${needEach} files each)` +
        (raise ? `, soft limit raised to ${helpers[0]!.ready.openFileLimit} for them (prlimit)` : "") +
        (processes > 1 ? `: ${total} nodes need ~${total * perNode + spare} files, more than one process may open` : ""),
    ],
    down: (address) => {
      const i = addresses.indexOf(address);
      if (i < 0) return Promise.reject(new Error(`no simulated node at ${address}`));
      const h = helpers[Math.floor(i / perProcess)]!;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the node at ${address} did not close within 30 s`)), 30_000);
        h.onLine((line) => {
          if (line === JSON.stringify({ down: address })) {
            clearTimeout(timer);
            resolve();
          }
        });
        h.send(`down ${address}`);
      });
    },
    stats: async () => {
      const each = await Promise.all(
        helpers.map(
          (h) =>
            new Promise<NodeStats>((resolve, reject) => {
              const timer = setTimeout(() => reject(new Error(`node process ${h.pid} did not answer stats within 30 s`)), 30_000);
              let done = false;
              h.onLine((line) => {
                if (done || !line.startsWith('{"stats"')) return;
                done = true;
                clearTimeout(timer);
                resolve((JSON.parse(line) as { stats: NodeStats }).stats);
              });
              h.send("stats");
            }),
        ),
      );
      return each.reduce((a, b) => ({ handshakes: a.handshakes + b.handshakes, rejects: a.rejects + b.rejects, dsegs: a.dsegs + b.dsegs, getdatas: a.getdatas + b.getdatas, listRequests: a.listRequests + b.listRequests }));
    },
    stop,
  };
}
