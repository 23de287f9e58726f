import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import ipaddr from "ipaddr.js";
import {
  createNamespace, createVethPair, deleteLink, deleteNamespace, execInNamespace, listNamespaces, loadNftRuleset,
  netnsAvailable, runCommand, spawnInNamespace, type CommandResult, type NetnsAvailability,
} from "../../src/sim/world/netns.ts";

/**
 * A "node host" in its own network namespace for tests and benches: one veth from the root
 * namespace, an IPv4 /29 and an IPv6 ULA /64 that exist only on that veth, a real nftables
 * firewall inside and listeners started there. Names carry the pid; everything is deleted at the
 * end, also when the body throws, and leftovers of dead test processes are swept first.
 */

export interface FamilyAddrs {
  /** The root namespace's end of the veth. */
  host: string;
  /** The node inside the namespace. */
  node: string;
  /** An address inside the subnet where nobody is. */
  absent: string;
}

export interface NodeNamespace {
  ns: string;
  hostIf: string;
  nsIf: string;
  v4: FamilyAddrs;
  v6: FamilyAddrs;
  loadRuleset(text: string): Promise<void>;
  /** Starts test/fixtures/listen.ts on these ports inside the namespace; resolves once it listens. */
  listen(ports: readonly number[]): Promise<ChildProcess>;
  exec(cmd: string, args: readonly string[]): Promise<CommandResult>;
}

/** Skips the test (outside CI) or fails it (CI=true) when namespaces cannot be used here. */
export async function requireNetns(t: TestContext, known?: NetnsAvailability): Promise<boolean> {
  const a = known ?? (await netnsAvailable());
  if (a.ok) return true;
  if (process.env.CI === "true") assert.fail(`CI must run the network-namespace tests, but: ${a.reason}`);
  t.skip(`needs network namespaces: ${a.reason}`);
  return false;
}

let created = 0; // per process, so two namespaces of one test file never share names or subnets

export async function withNodeNamespace<T>(fn: (world: NodeNamespace) => Promise<T>): Promise<T> {
  const { world, close } = await openNodeNamespace();
  try {
    return await fn(world);
  } finally {
    await close();
  }
}

/** Like withNodeNamespace, for suites that share one namespace between tests: call `close` in after(). */
export async function openNodeNamespace(): Promise<{ world: NodeNamespace; close: () => Promise<void> }> {
  await sweepLeftovers();
  const k = created++;
  const ns = `nwt${process.pid}n${k}`;
  const hostIf = `nwh${process.pid}x${k}`;
  const nsIf = `nwn${process.pid}x${k}`;
  const { v4, v6 } = await freeSubnets(process.pid * 4 + k);
  const children: ChildProcess[] = [];

  const close = async (): Promise<void> => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await deleteNamespace(ns).catch(() => undefined);
    await deleteLink(null, hostIf).catch(() => undefined);
  };
  try {
    await createNamespace(ns);
    await createVethPair({ hostIf, nsIf, ns, hostAddrs: [`${v4.host}/29`, `${v6.host}/64`], nsAddrs: [`${v4.node}/29`, `${v6.node}/64`] });
  } catch (err) {
    await close();
    throw err;
  }
  const world: NodeNamespace = {
    ns, hostIf, nsIf, v4, v6,
    loadRuleset: (text) => loadNftRuleset(ns, text),
    exec: (cmd, args) => execInNamespace(ns, cmd, args),
    listen: async (ports) => {
      const child = spawnInNamespace(ns, process.execPath, ["--import", import.meta.resolve("tsx"), LISTENER, ...ports.map(String)], { stdio: ["pipe", "pipe", "pipe"] });
      children.push(child);
      await waitForReady(child, 15_000);
      return child;
    },
  };
  return { world, close };
}

const LISTENER = fileURLToPath(new URL("../fixtures/listen.ts", import.meta.url));

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => done(new Error(`the listener did not print "ready" within ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
    const done = (e?: Error): void => {
      clearTimeout(timer);
      child.stdout?.removeAllListeners("data");
      child.removeListener("exit", onExit);
      if (e) reject(e);
      else resolve();
    };
    const onExit = (code: number | null): void => done(new Error(`the listener exited (${code}) before it was ready: ${err}`));
    child.stderr?.on("data", (b: Buffer) => (err += b.toString()));
    child.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes("ready\n")) done();
    });
    child.once("exit", onExit);
  });
}

/**
 * A /29 in 10.250.0.0/16 and a /64 in fd77:6e77::/32 derived from `seed`, skipping any block that
 * holds an address, or the start of a route, the root namespace already has (a broader route such
 * as a 10.0.0.0/8 VPC is harmless: the veth's more specific route wins). .1/::1 is the host end, .2/::2 the
 * node, .5/::5 nobody.
 */
async function freeSubnets(seed: number): Promise<{ v4: FamilyAddrs; v6: FamilyAddrs }> {
  const used = await usedAddresses();
  for (let i = 0; i < 64; i += 1) {
    const block = (seed + i * 977) % 8192;
    const v4net = `10.250.${block >> 5}.${(block & 31) * 8}`;
    const v6net = `fd77:6e77:${block.toString(16)}::`;
    const clash = used.some((addr) => inside(addr, v4net, 29) || inside(addr, v6net, 64));
    if (clash) continue;
    const v4 = (n: number): string => v4net.replace(/\.(\d+)$/, (_, last: string) => `.${Number(last) + n}`);
    return {
      v4: { host: v4(1), node: v4(2), absent: v4(5) },
      v6: { host: `${v6net}1`, node: `${v6net}2`, absent: `${v6net}5` },
    };
  }
  throw new Error("no free test subnet in 10.250.0.0/16 / fd77:6e77::/32 after 64 tries");
}

async function usedAddresses(): Promise<Array<ipaddr.IPv4 | ipaddr.IPv6>> {
  const out: Array<ipaddr.IPv4 | ipaddr.IPv6> = [];
  for (const args of [["-o", "addr", "show"], ["route", "show", "table", "all"], ["-6", "route", "show", "table", "all"]]) {
    const { stdout } = await runCommand("ip", args);
    for (const m of stdout.matchAll(/(?:^|\s)([0-9a-f.:]+:[0-9a-f.:]*|\d+\.\d+\.\d+\.\d+)(?:\/\d+)?(?=\s)/gim)) {
      const text = m[1] ?? "";
      if (ipaddr.isValid(text)) out.push(ipaddr.parse(text));
    }
  }
  return out;
}

function inside(addr: ipaddr.IPv4 | ipaddr.IPv6, netText: string, bits: number): boolean {
  const net = ipaddr.parse(netText);
  if (addr.kind() !== net.kind()) return false;
  return addr.kind() === "ipv4" ? (addr as ipaddr.IPv4).match(net as ipaddr.IPv4, bits) : (addr as ipaddr.IPv6).match(net as ipaddr.IPv6, bits);
}

/** Removes namespaces and veths named by this scheme whose process is gone (a crashed earlier run). */
async function sweepLeftovers(): Promise<void> {
  for (const ns of await listNamespaces()) {
    const m = /^nwt(\d+)n(\d+)$/.exec(ns);
    if (m === null || alive(Number(m[1]))) continue;
    await deleteNamespace(ns).catch(() => undefined);
    await deleteLink(null, `nwh${m[1]}x${m[2]}`).catch(() => undefined);
  }
}

/** Whether a process with this pid exists (EPERM: it does, but is not ours). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
