import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startPostgres, type PostgresServer } from "../../src/store/postgres/server.test-support.ts";
import { freePort, watchWorld, type WatchWorld, type WorldAddresses } from "./watch-world.ts";

/**
 * Several real `nodeward watch` processes, each a vantage with its own /healthz port, sharing one
 * real PostgreSQL server (started in a temp dir, removed afterwards) and one webhook receiver,
 * watching the simulated nodes of a watch world. With `at`, the servers listen on addresses of
 * the test's own network (fleet-netns.ts) and watchers can run in network namespaces.
 */

const BIN = new URL("../../bin/nodeward.js", import.meta.url).pathname;

export interface FleetHealth {
  status: string;
  nodes: number;
  probes: number;
  faults: { fault: string; detail: string }[];
  fleet?: { vantage: string; leader: boolean; vantages: { name: string; live: boolean; why?: string }[] };
}

export interface Watcher {
  name: string;
  /** "http://HOST:PORT", where its /healthz and /metrics answer. */
  origin: string;
  port: number;
  child: ChildProcess;
  stderr(): string;
  health(): Promise<FleetHealth | null>;
}

export interface FleetWorld {
  world: WatchWorld;
  pg: PostgresServer;
  url: string;
  /**
   * Starts a watcher named `name` (its config: the world's, with its own listen port and extra
   * watch keys); with `netns`, inside that namespace, listening on `address` there.
   */
  start(name: string, opts?: { watch?: string; netns?: { ns: string; address: string } }): Promise<Watcher>;
  /** The watcher that says it leads, or null. */
  leader(watchers: readonly Watcher[]): Promise<Watcher | null>;
  close(): Promise<void>;
}

/** `at.clients`: the CIDRs watchers connect to PostgreSQL from when they are not on loopback. */
export async function fleetWorld(
  subnet: number,
  opts: { count?: number; watch: string; at?: WorldAddresses & { clients: readonly string[] } },
): Promise<FleetWorld> {
  const world = await watchWorld(subnet, opts.count ?? 1, opts.at);
  const pg = await startPostgres(opts.at === undefined ? {} : { alsoListen: { address: opts.at.services, clients: opts.at.clients } });
  const local = await pg.newDatabase();
  const url = opts.at === undefined ? local : Object.assign(new URL(local), { hostname: opts.at.services }).href;
  const children: ChildProcess[] = [];
  return {
    world,
    pg,
    url,
    async start(name, o = {}) {
      const port = await freePort();
      const host = o.netns?.address ?? "127.0.0.1";
      const origin = `http://${host}:${port}`;
      const file = join(world.project.dir, `nodeward-${name}.yaml`);
      writeFileSync(file, `version: 1
provider: { type: vultr, baseUrl: "${world.sim.url}", timeoutSeconds: 2 }
coin: smartcash
nodes: { tags: [smartnode] }
store: { url: "${url}" }
watch: { listen: "${host}:${port}", vantage: { region: "test ${name}" }, ${opts.watch}${o.watch === undefined ? "" : `, ${o.watch}`} }
alerts:
  channels:
    - { type: webhook, name: hook, url: "${world.receiver.origin}/hook" }
`);
      const args = [BIN, "-c", file, "watch", "--vantage", name];
      const [cmd, argv] = o.netns === undefined ? [process.execPath, args] : ["ip", ["netns", "exec", o.netns.ns, process.execPath, ...args]];
      const child = spawn(cmd, argv, {
        cwd: world.project.dir,
        env: { PATH: process.env.PATH, HOME: world.project.dir, VULTR_API_KEY: world.sim.apiKey, NO_COLOR: "1" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      children.push(child);
      let text = "";
      child.stderr!.on("data", (d: Buffer) => (text += d.toString()));
      return {
        name,
        origin,
        port,
        child,
        stderr: () => text,
        async health() {
          try {
            const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
            return (await res.json()) as FleetHealth;
          } catch {
            return null;
          }
        },
      };
    },
    async leader(watchers) {
      for (const w of watchers) if ((await w.health())?.fleet?.leader === true) return w;
      return null;
    },
    async close() {
      for (const c of children) {
        if (c.exitCode === null && c.signalCode === null) {
          c.kill("SIGKILL");
          await once(c, "exit");
        }
      }
      await pg.stop();
      await world.close([]);
    },
  };
}
