import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { CoinProfile } from "../../coins/index.ts";
import { systemClock, type Clock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import { checkOutpoint, type Outpoint } from "../../netview/outpoint.ts";
import type { NetworkScript } from "./hosted-node.ts";
import type { SimState } from "../state.ts";
import { acquireWorldLock } from "./lock.ts";
import { addAddress, addRoute, createNamespace, createVethPair, deleteNamespace, loadNftRuleset, runCommand, spawnInNamespace } from "./netns.ts";
import { worldRuleset, type FilteredHost } from "./ruleset.ts";
import { packagePath, packageRoot } from "../../core/package-root.ts";

/**
 * The simulator's instances as real hosts: every instance's addresses live in one network
 * namespace, each runs a simulated SmartNode (P2P, SAPI, an SSH banner), and a real nftables
 * ruleset there follows the firewall state the simulator holds — so `verify` scans the simulated
 * fleet over a real network path and sees open, closed and filtered exactly as the rules say.
 * Needs root, iproute2 and nftables (see netnsAvailable).
 */
export interface World {
  readonly namespace: string;
  /** Resolves once the packet filter reflects every firewall change made so far. */
  synced(): Promise<void>;
  /** A node's daemon stops (crash) or starts again; its addresses stay. */
  stopNode(instanceId: string): Promise<void>;
  startNode(instanceId: string): Promise<void>;
  setHeight(instanceId: string, height: number): Promise<void>;
  /**
   * What the world's SmartNode network thinks of a node that has a collateral (a fresh ping until
   * told otherwise): a stale ping, none, not listed at all; `synced: false` makes the node itself
   * ignore dseg. Rejects for a node started without a collateral, unless the script only unlists it.
   */
  setNetwork(instanceId: string, script: NetworkScript): Promise<void>;
  close(): Promise<void>;
}

const HOST_V4 = "169.254.77.1";
const NS_V4 = "169.254.77.2";
const HOST_V6 = "fd7e:7777::1";
const NS_V6 = "fd7e:7777::2";

export interface WorldOptions {
  state: SimState;
  coin: CoinProfile;
  height?: number;
  clock?: Clock;
  rebootMs?: number;
  /** The collateral each instance is listed by in the world's SmartNode network; undefined: not listed. */
  collateralOf?: (instanceId: string) => Outpoint | undefined;
}

export async function startWorld(opts: WorldOptions): Promise<World> {
  const clock = opts.clock ?? systemClock;
  const release = await acquireWorldLock(clock);
  const tag = `${process.pid % 100000}`;
  const ns = `nodeward-sim-${tag}`;
  const hostIf = `nws${tag}h`;
  const nsIf = `nws${tag}n`;
  let child: ChildProcess | undefined;
  let stopSettle = () => {};
  let unsubscribe = () => {};
  const cleanup = async () => {
    stopSettle();
    unsubscribe();
    child?.stdin?.end();
    await deleteNamespace(ns).catch(() => undefined);
    await release();
  };
  try {
    await deleteNamespace(ns);
    await createNamespace(ns);
    await createVethPair({ ns, hostIf, nsIf, hostAddrs: [`${HOST_V4}/30`, `${HOST_V6}/64`], nsAddrs: [`${NS_V4}/30`, `${NS_V6}/64`] });
    await addRoute(ns, "default", { gateway: HOST_V4 });
    await addRoute(ns, "::/0", { gateway: HOST_V6 });
    const instances = await placeInstances(opts.state);
    for (const i of instances) {
      await addAddress(ns, nsIf, `${i.main_ip}/32`);
      await addRoute(null, `${i.main_ip}/32`, { gateway: NS_V4, dev: hostIf });
      if (i.v6_main_ip !== "") {
        await addAddress(ns, nsIf, `${i.v6_main_ip}/128`);
        await addRoute(null, `${i.v6_main_ip}/128`, { gateway: NS_V6, dev: hostIf });
      }
    }

    let sync = Promise.resolve();
    const resync = () => {
      sync = sync.then(() => loadNftRuleset(ns, worldRuleset(filteredHosts(opts.state))));
      return sync;
    };
    await resync();
    unsubscribe = opts.state.onFirewallChange(() => void resync().catch(() => undefined));
    const settle = setInterval(() => opts.state.pendingCount() > 0 && opts.state.instances(), 100);
    stopSettle = () => clearInterval(settle);

    child = spawnInNamespace(ns, process.execPath, ["--import", "tsx", packagePath("src", "sim", "world", "host-main.ts"), opts.coin.id], {
      stdio: ["pipe", "pipe", "inherit"],
      cwd: packageRoot(),
    });
    const host = hostChannel(child);
    await host.ready;
    await checkRoutes(instances, hostIf);
    for (const i of instances) {
      const collateral = collateralOf(opts, i.id);
      await host.call({ op: "add", id: i.id, addresses: [i.main_ip, i.v6_main_ip].filter((a) => a !== ""), height: opts.height ?? 2_500_000, ...(collateral === undefined ? {} : { collateral }) });
    }
    // Power actions through the API reach the simulated hosts: a reboot takes the daemon away for a moment.
    const unpower = opts.state.onPower((id, action) => {
      const act = async () => {
        if (action === "halt" || action === "reboot") await host.call({ op: "stop", id });
        if (action === "reboot") await clock.sleep(opts.rebootMs ?? 3000);
        if (action === "start" || action === "reboot") await host.call({ op: "start", id });
      };
      void act().catch(() => undefined);
    });
    const unsubscribeFirewall = unsubscribe;
    unsubscribe = () => {
      unpower();
      unsubscribeFirewall();
    };
    return {
      namespace: ns,
      synced: () => sync,
      stopNode: (id) => host.call({ op: "stop", id }),
      startNode: (id) => host.call({ op: "start", id }),
      setHeight: (id, height) => host.call({ op: "set", id, height }),
      setNetwork: (id, script) => host.call({ op: "network", id, ping: script.ping, ...(script.synced === undefined ? {} : { synced: script.synced }) }),
      close: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e instanceof AppError ? e : new AppError("INTERNAL", `could not build the simulated world: ${(e as Error).message}`, { cause: e });
  }
}

function collateralOf(opts: WorldOptions, instanceId: string): Outpoint | undefined {
  const o = opts.collateralOf?.(instanceId);
  if (o === undefined) return undefined;
  const checked = checkOutpoint(o.txid, o.index);
  if (!checked.ok) throw new AppError("USAGE", `the collateral of instance ${instanceId}: ${checked.message}`);
  return checked.outpoint;
}

/**
 * Puts every instance on an address of the benchmarking range 198.18.0.0/15 (RFC 2544) and, when
 * it has IPv6, of 2001:db8:7e::/48 — after checking that this machine neither owns those ranges
 * nor has them on a link: the world's routes must never capture a real neighbour's address.
 */
async function placeInstances(state: SimState) {
  for (const probe of ["198.18.0.1", "2001:db8:7e::1"]) {
    const r = await routeOf(probe);
    if (r.type === "local" || r.gateway === undefined) {
      throw new AppError("INTERNAL", `the simulated world's addresses (${probe}) are on this machine's own network (${r.dev ?? "?"})`, { hint: "run the demo on a machine where 198.18.0.0/15 and 2001:db8::/32 are not in use" });
    }
  }
  state.instances().forEach((i, n) => {
    const k = n + 1;
    state.readdress(i.id, `198.18.${k >> 8}.${k & 0xff}`, i.v6_main_ip === "" ? "" : `2001:db8:7e::${k.toString(16)}`);
  });
  return state.instances();
}

/** Every simulated address must now route into the world's veth, or nothing may be scanned. */
async function checkRoutes(instances: readonly { main_ip: string; v6_main_ip: string }[], hostIf: string): Promise<void> {
  for (const a of instances.flatMap((i) => [i.main_ip, i.v6_main_ip]).filter((x) => x !== "")) {
    const r = await routeOf(a);
    if (r.dev !== hostIf) throw new AppError("INTERNAL", `simulated address ${a} routes via ${r.dev ?? "nothing"}, not the world's ${hostIf}`);
  }
}

async function routeOf(address: string): Promise<{ type?: string; gateway?: string; dev?: string }> {
  const { stdout } = await runCommand("ip", ["-j", "route", "get", address]);
  const [first] = JSON.parse(stdout) as { type?: string; gateway?: string; dev?: string }[];
  return first ?? {};
}

function filteredHosts(state: SimState): FilteredHost[] {
  return state.instances().map((i) => ({
    v4: i.main_ip,
    v6: i.v6_main_ip,
    rules: i.firewall_group_id === "" ? null : state.rules(i.firewall_group_id),
  }));
}

/** The JSON-lines conversation with the host process: one answer per command, in order. */
function hostChannel(child: ChildProcess) {
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let seq = 0;
  let onReady: () => void = () => {};
  let onFail: (e: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  const fail = (e: Error) => {
    onFail(e);
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  child.once("exit", (code) => fail(new Error(`the world's host process ended (exit ${code})`)));
  child.once("error", fail);
  createInterface({ input: child.stdout! }).on("line", (line) => {
    let msg: { ready?: boolean; ok?: boolean; seq?: number; error?: string };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    if (msg.ready) return onReady();
    if (msg.ok === false && msg.seq === undefined) return fail(new Error(msg.error ?? "host process failed"));
    const w = msg.seq === undefined ? undefined : waiting.get(msg.seq);
    if (w === undefined) return;
    waiting.delete(msg.seq!);
    if (msg.ok) w.resolve();
    else w.reject(new Error(msg.error ?? "host command failed"));
  });
  return {
    ready,
    call: (c: Record<string, unknown>) =>
      new Promise<void>((resolve, reject) => {
        const n = ++seq;
        waiting.set(n, { resolve, reject });
        child.stdin!.write(`${JSON.stringify({ ...c, seq: n })}\n`);
      }),
  };
}
