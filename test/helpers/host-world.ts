import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  addAddress, createNamespace, deleteNamespace, execInNamespace, listNamespaces, runCommand, spawnInNamespace,
} from "../../src/sim/world/netns.ts";
import { alive } from "./netns.ts";

/**
 * Two network namespaces for the host lock-down tests: "node" (the SmartNode, where nodeward's
 * ruleset is loaded and listeners run) and "client" (the Internet, with two IPv4 and two IPv6
 * addresses so an admin block can allow one and not the other), joined by one veth whose two
 * ends both live inside the namespaces: nothing is added to the root namespace. Names carry the
 * pid; leftovers of dead runs are swept first.
 */

export interface HostWorld {
  node: string;
  client: string;
  nodeV4: string;
  nodeV6: string;
  /** Client source addresses: [allowed, other] per family. */
  clientV4: [string, string];
  clientV6: [string, string];
  listen(ports: readonly number[]): Promise<void>;
  /** States of TCP connects from the client namespace: open / closed / filtered. */
  probe(targets: readonly { host: string; port: number; from?: string }[], timeoutMs?: number): Promise<string[]>;
  close(): Promise<void>;
}

const LISTENER = fileURLToPath(new URL("../fixtures/listen.ts", import.meta.url));
const PROBE = fileURLToPath(new URL("../fixtures/host-probe.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");
let made = 0;

export async function openHostWorld(): Promise<HostWorld> {
  await sweep();
  const k = made++;
  const node = `nwhn${process.pid}k${k}`;
  const client = `nwhc${process.pid}k${k}`;
  const children: ChildProcess[] = [];
  const close = async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await deleteNamespace(node).catch(() => undefined);
    await deleteNamespace(client).catch(() => undefined);
  };
  const w: HostWorld = {
    node, client,
    nodeV4: "10.251.0.1", nodeV6: "fd77:6e78::1",
    clientV4: ["10.251.0.10", "10.251.0.11"], clientV6: ["fd77:6e78::10", "fd77:6e78::11"],
    close,
    listen: async (ports) => {
      const child = spawnInNamespace(node, process.execPath, ["--import", TSX, LISTENER, ...ports.map(String)], { stdio: ["pipe", "pipe", "pipe"] });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("listener not ready in 15 s")), 15_000);
        let out = "";
        child.stdout?.on("data", (b: Buffer) => {
          out += b.toString();
          if (!out.includes("ready\n")) return;
          clearTimeout(timer);
          resolve();
        });
        child.once("exit", (c) => {
          clearTimeout(timer);
          reject(new Error(`listener exited ${c}`));
        });
      });
    },
    probe: async (targets, timeoutMs = 800) => {
      const { stdout } = await execInNamespace(client, process.execPath, ["--import", TSX, PROBE, JSON.stringify(targets), String(timeoutMs)], { timeoutMs: 30_000 });
      return JSON.parse(stdout) as string[];
    },
  };
  try {
    await createNamespace(node);
    await createNamespace(client);
    const a = `nwhA${process.pid % 100000}k${k}`;
    const b = `nwhB${process.pid % 100000}k${k}`;
    await runCommand("ip", ["link", "add", a, "netns", client, "type", "veth", "peer", "name", b, "netns", node]);
    await addAddress(node, b, `${w.nodeV4}/24`);
    await addAddress(node, b, `${w.nodeV6}/64`);
    for (const addr of w.clientV4) await addAddress(client, a, `${addr}/24`);
    for (const addr of w.clientV6) await addAddress(client, a, `${addr}/64`);
    await runCommand("ip", ["-n", node, "link", "set", b, "up"]);
    await runCommand("ip", ["-n", client, "link", "set", a, "up"]);
  } catch (err) {
    await close();
    throw err;
  }
  return w;
}

async function sweep(): Promise<void> {
  for (const ns of await listNamespaces()) {
    const m = /^nwh[nc](\d+)k\d+$/.exec(ns);
    if (m === null || alive(Number(m[1]))) continue;
    await deleteNamespace(ns).catch(() => undefined);
  }
}


/** Kills every process whose command line mentions `marker` (a test's unique temp dir): the detached rollback timers. */
export function killProcessesMentioning(marker: string): number {
  let n = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p)).map(Number)) {
    if (pid === process.pid) continue;
    let cmd = "";
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (!cmd.includes(marker)) continue;
    try {
      process.kill(pid, "SIGKILL");
      n += 1;
    } catch {
      // gone
    }
  }
  return n;
}
