import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startPostgres, type PostgresServer } from "../../src/store/postgres/server.test-support.ts";
import { freePort, watchWorld, type WatchWorld } from "./watch-world.ts";

/**
 * Several real `nodeward watch` processes, each a vantage with its own /healthz port, sharing one
 * real PostgreSQL server (started in a temp dir, removed afterwards) and one webhook receiver,
 * watching the simulated nodes of a watch world.
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
  port: number;
  child: ChildProcess;
  stderr(): string;
  health(): Promise<FleetHealth | null>;
}

export interface FleetWorld {
  world: WatchWorld;
  pg: PostgresServer;
  url: string;
  /** Starts a watcher named `name` (its config: the world's, with its own listen port and extra watch keys). */
  start(name: string, opts?: { watch?: string; netns?: string }): Promise<Watcher>;
  /** The watcher that says it leads, or null. */
  leader(watchers: readonly Watcher[]): Promise<Watcher | null>;
  close(): Promise<void>;
}

export async function fleetWorld(subnet: number, opts: { count?: number; watch: string }): Promise<FleetWorld> {
  const world = await watchWorld(subnet, opts.count ?? 1);
  const pg = await startPostgres();
  const url = await pg.newDatabase();
  const children: ChildProcess[] = [];
  return {
    world,
    pg,
    url,
    async start(name, o = {}) {
      const port = await freePort();
      const file = join(world.project.dir, `nodeward-${name}.yaml`);
      writeFileSync(file, `version: 1
provider: { type: vultr, baseUrl: "${world.sim.url}", timeoutSeconds: 2 }
coin: smartcash
nodes: { tags: [smartnode] }
store: { url: "${url}" }
watch: { listen: "127.0.0.1:${port}", vantage: { region: "test ${name}" }, ${opts.watch}${o.watch === undefined ? "" : `, ${o.watch}`} }
alerts:
  channels:
    - { type: webhook, name: hook, url: "${world.receiver.origin}/hook" }
`);
      const args = [BIN, "-c", file, "watch", "--vantage", name];
      const [cmd, argv] = o.netns === undefined ? [process.execPath, args] : ["ip", ["netns", "exec", o.netns, process.execPath, ...args]];
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
        port,
        child,
        stderr: () => text,
        async health() {
          try {
            const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
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
