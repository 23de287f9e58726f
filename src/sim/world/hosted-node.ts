import { createServer, type Server } from "node:net";
import { z } from "zod";
import type { CoinProfile } from "../../coins/index.ts";
import { AppError } from "../../core/errors.ts";
import type { Outpoint } from "../../netview/outpoint.ts";
import type { P2pParams } from "../../p2p/params.ts";
import { startSimulatedNode, type NetworkList, type SimulatedNode } from "../smartnode/index.ts";

const collateralSchema = z.object({ txid: z.string().regex(/^[0-9a-f]{64}$/), index: z.number().int().min(0).max(0xfffffffe) }).strict();
/** What the network thinks of a node: its ping ("unlisted": the network forgets it), and whether the node itself is synced. */
const networkSchema = {
  ping: z.union([z.enum(["fresh", "none", "unlisted"]), z.object({ staleMinutes: z.number().finite().min(0).max(10_000_000) }).strict()]),
  synced: z.boolean().optional(),
};

/** Commands the world sends its host process. `seq` pairs each answer with its command. */
const commandSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("add"), seq: z.number(), id: z.string(), addresses: z.array(z.string()).min(1), height: z.number().int().nonnegative(), collateral: collateralSchema.optional() }).strict(),
  z.object({ op: z.literal("stop"), seq: z.number(), id: z.string() }).strict(),
  z.object({ op: z.literal("start"), seq: z.number(), id: z.string() }).strict(),
  z.object({ op: z.literal("set"), seq: z.number(), id: z.string(), height: z.number().int().nonnegative().optional() }).strict(),
  z.object({ op: z.literal("network"), seq: z.number(), id: z.string(), ...networkSchema }).strict(),
]);
export type HostCommand = z.infer<typeof commandSchema>;
export type NetworkScript = z.infer<z.ZodObject<typeof networkSchema>>;

/**
 * A command, or why not. A refused command that still carries a numeric `seq` says so, so that
 * only that call fails: a world whose script asks for something impossible keeps running.
 */
export function parseHostCommand(line: string): { ok: true; command: HostCommand } | { ok: false; error: string; seq?: number } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  const r = commandSchema.safeParse(json);
  if (r.success) return { ok: true, command: r.data };
  const seq = (json as { seq?: unknown } | null)?.seq;
  return { ok: false, error: r.error.message, ...(typeof seq === "number" ? { seq } : {}) };
}

export interface HostedNode {
  stop(): Promise<void>;
  start(): Promise<void>;
  set(s: { height?: number }): void;
  /** Changes what the network thinks of this node; throws a USAGE error when it has no collateral to be listed by. */
  setNetwork(script: NetworkScript): void;
}

interface HostSettings {
  coin: CoinProfile;
  params: P2pParams;
  p2pPort: number;
  sapiPort: number | undefined;
  height: number;
  /** The world's one SmartNode list, which every node answers dseg from; undefined for a coin without one. */
  network: NetworkList | undefined;
  /** Listed in the network (fresh ping) at its first address when given. */
  collateral?: Outpoint;
}

/**
 * A simulated SmartNode on each address, plus an SSH-like banner on 22, that can be stopped and
 * started (a crash, a reboot). Stopping the daemon leaves its entry in the network's list, as a
 * crash does: only its ping ages, which the world scripts with setNetwork.
 */
export async function startHostedNode(addresses: readonly string[], s: HostSettings): Promise<HostedNode> {
  let height = s.height;
  let synced = true;
  const { network, collateral } = s;
  if (collateral !== undefined && network === undefined) throw new AppError("USAGE", `coin ${s.coin.id} keeps no SmartNode list: a node cannot be listed by its collateral`);
  const list = (ping: NetworkScript["ping"]) => {
    if (network === undefined || collateral === undefined) {
      if (ping === "unlisted") return;
      throw new AppError("USAGE", "this node was added without a collateral, so the network cannot list it");
    }
    if (ping === "unlisted") network.remove(collateral);
    else network.set({ outpoint: collateral, addr: { ip: addresses[0]!, port: s.p2pPort }, ping });
  };
  let running: { nodes: SimulatedNode[]; ssh: Server[] } | null = null;
  const start = async () => {
    if (running !== null) return;
    const nodes = await Promise.all(addresses.map((host) => startSimulatedNode({ host, p2pPort: s.p2pPort, sapiPort: s.sapiPort ?? false, params: s.params, height, network, synced })));
    const ssh = await Promise.all(addresses.map((host) => sshBanner(host)));
    running = { nodes, ssh };
  };
  const stop = async () => {
    const r = running;
    running = null;
    if (r === null) return;
    await Promise.all([...r.nodes.map((n) => n.close()), ...r.ssh.map((srv) => new Promise<void>((res) => srv.close(() => res())))]);
  };
  if (collateral !== undefined) list("fresh");
  try {
    await start();
  } catch (e) {
    if (collateral !== undefined) list("unlisted");
    throw e;
  }
  return {
    start,
    stop,
    set: (x) => {
      if (x.height !== undefined) height = x.height;
      for (const n of running?.nodes ?? []) n.set({ height });
    },
    setNetwork: (x) => {
      list(x.ping);
      if (x.synced !== undefined) synced = x.synced;
      for (const n of running?.nodes ?? []) n.set({ synced });
    },
  };
}

/** What port 22 of a fresh server says: enough for a scan to read "open". */
function sshBanner(host: string): Promise<Server> {
  const srv = createServer((sock) => {
    sock.on("error", () => sock.destroy());
    sock.end("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
  });
  return new Promise((resolve, reject) => {
    srv.once("error", reject);
    srv.listen({ host, port: 22 }, () => resolve(srv));
  });
}
