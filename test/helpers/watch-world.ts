import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, type AddressInfo } from "node:net";
import { writeFileSync } from "node:fs";
import { findCoin } from "../../src/coins/index.ts";
import { p2pParamsFor } from "../../src/p2p/index.ts";
import { startSimulatedNode, type SimulatedNode } from "../../src/sim/smartnode/index.ts";
import { startReceiver, type Receiver } from "../../src/alerts/testing/http-receiver.ts";
import { startCheckedSim, type CheckedSim } from "./sim.ts";
import { tempProject } from "./cli.ts";

/**
 * A world for running the real `nodeward watch` as a child process: the Vultr simulator with
 * instances on loopback addresses (each its own 127.x.y.z, so tests running side by side never
 * share one), a simulated SmartNode behind each, a webhook receiver for the alerts, and helpers
 * to read /healthz and the alerts that arrived.
 */

const BIN = new URL("../../bin/nodeward.js", import.meta.url).pathname;
const params = p2pParamsFor(findCoin("smartcash")!)!;

export interface AlertSeen {
  kind: string;
  fault?: string;
  detail?: string;
  incidentId?: string;
  at: number;
}

export interface Health {
  status: string;
  nodes: number;
  probes: number;
  faults: { fault: string; detail: string }[];
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export const until = async (what: string, cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> => {
  for (const end = Date.now() + ms; !(await cond()); ) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

export interface WatchWorld {
  sim: CheckedSim;
  receiver: Receiver;
  project: { dir: string; file: string; cleanup: () => void };
  port: number;
  instances: { id: string; main_ip: string }[];
  nodes: Map<string, SimulatedNode>;
  up(id: string): Promise<void>;
  down(id: string): Promise<void>;
  /** A simulated SmartNode at an address of the test's choosing (a static host). */
  serveAt(host: string): Promise<SimulatedNode>;
  /** Writes nodeward.yaml: `watch` and `extra` are added to a config that watches the world. */
  configure(watch: string, extra?: string): void;
  spawnWatch(env?: NodeJS.ProcessEnv): ChildProcess & { stderrText(): string };
  health(): Promise<Health | null>;
  alerts(): AlertSeen[];
  close(children: ChildProcess[]): Promise<void>;
}

/** Where a world listens when its watchers run in other network namespaces (fleet-netns.ts). */
export interface WorldAddresses {
  /** The simulator and the webhook receiver listen here instead of 127.0.0.1. */
  services: string;
  /** The nodes' addresses, in order, instead of 127.SUBNET.0.n. */
  nodes: readonly string[];
}

/** `subnet`: the second octet of the loopback addresses (127.SUBNET.0.n), unique per test file. */
export async function watchWorld(subnet: number, count = 2, at?: WorldAddresses): Promise<WatchWorld> {
  const sim = await startCheckedSim({ rateLimitPerSecond: false, host: at?.services });
  const receiver = await startReceiver({ status: 204 }, at?.services);
  const project = tempProject();
  const port = await freePort();
  const ipOf = (i: number) => at?.nodes[i] ?? `127.${subnet}.0.${i + 1}`;
  const instances = Array.from({ length: count }, (_, i) => sim.state.addInstance({ label: `sn-${i + 1}`, tags: ["smartnode"], main_ip: ipOf(i) }));
  const nodes = new Map<string, SimulatedNode>();
  const ip = (id: string) => instances.find((i) => i.id === id)!.main_ip;
  const serveAt = (host: string) => startSimulatedNode({ host, p2pPort: 9678, sapiPort: 8080, params, height: 2_500_000 });
  const up = async (id: string) => void nodes.set(id, await serveAt(ip(id)));
  for (const i of instances) await up(i.id);
  return {
    sim, receiver, project, port, instances, nodes, up,
    serveAt: async (host) => {
      const n = await serveAt(host);
      nodes.set(host, n);
      return n;
    },
    down: async (id) => {
      await nodes.get(id)?.close();
      nodes.delete(id);
    },
    configure(watch, extra = "") {
      writeFileSync(project.file, `version: 1
provider: { type: vultr, baseUrl: "${sim.url}", timeoutSeconds: 2 }
coin: smartcash
nodes: { tags: [smartnode] }
watch: { intervalSeconds: 1, confirmIntervalSeconds: 1, failuresToDown: 2, successesToUp: 1, probeTimeoutSeconds: 1, listen: "127.0.0.1:${port}", ${watch} }
alerts:
  channels:
    - { type: webhook, name: hook, url: "${receiver.origin}/hook" }
${extra}`);
    },
    spawnWatch(env = {}) {
      const child = spawn(process.execPath, [BIN, "watch"], {
        cwd: project.dir,
        env: { PATH: process.env.PATH, HOME: project.dir, VULTR_API_KEY: sim.apiKey, NO_COLOR: "1", ...env },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let text = "";
      child.stderr!.on("data", (d: Buffer) => (text += d.toString()));
      return Object.assign(child, { stderrText: () => text });
    },
    async health() {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
        return (await res.json()) as Health;
      } catch {
        return null;
      }
    },
    alerts: () => receiver.requests.map((r) => (JSON.parse(r.body) as { event: AlertSeen }).event),
    async close(children) {
      for (const c of children) {
        if (c.exitCode === null && c.signalCode === null) {
          c.kill("SIGKILL");
          await once(c, "exit");
        }
      }
      for (const n of nodes.values()) await n.close().catch(() => undefined);
      await receiver.close();
      await sim.closeAndCheck();
      project.cleanup();
    },
  };
}
