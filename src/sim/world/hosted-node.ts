import { createServer, type Server } from "node:net";
import { z } from "zod";
import type { CoinProfile } from "../../coins/index.ts";
import type { P2pParams } from "../../p2p/params.ts";
import { startSimulatedNode, type SimulatedNode } from "../smartnode/index.ts";

/** Commands the world sends its host process. `seq` pairs each answer with its command. */
const commandSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("add"), seq: z.number(), id: z.string(), addresses: z.array(z.string()).min(1), height: z.number().int().nonnegative() }),
  z.object({ op: z.literal("stop"), seq: z.number(), id: z.string() }),
  z.object({ op: z.literal("start"), seq: z.number(), id: z.string() }),
  z.object({ op: z.literal("set"), seq: z.number(), id: z.string(), height: z.number().int().nonnegative().optional() }),
]);
export type HostCommand = z.infer<typeof commandSchema>;

export function parseHostCommand(line: string): { ok: true; command: HostCommand } | { ok: false; error: string } {
  try {
    const r = commandSchema.safeParse(JSON.parse(line));
    return r.success ? { ok: true, command: r.data } : { ok: false, error: r.error.message };
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
}

export interface HostedNode {
  stop(): Promise<void>;
  start(): Promise<void>;
  set(s: { height?: number }): void;
}

interface HostSettings {
  coin: CoinProfile;
  params: P2pParams;
  p2pPort: number;
  sapiPort: number | undefined;
  height: number;
}

/** A simulated SmartNode on each address, plus an SSH-like banner on 22, that can be stopped and started (a crash, a reboot). */
export async function startHostedNode(addresses: readonly string[], s: HostSettings): Promise<HostedNode> {
  let height = s.height;
  let running: { nodes: SimulatedNode[]; ssh: Server[] } | null = null;
  const start = async () => {
    if (running !== null) return;
    const nodes = await Promise.all(addresses.map((host) => startSimulatedNode({ host, p2pPort: s.p2pPort, sapiPort: s.sapiPort ?? false, params: s.params, height })));
    const ssh = await Promise.all(addresses.map((host) => sshBanner(host)));
    running = { nodes, ssh };
  };
  const stop = async () => {
    const r = running;
    running = null;
    if (r === null) return;
    await Promise.all([...r.nodes.map((n) => n.close()), ...r.ssh.map((srv) => new Promise<void>((res) => srv.close(() => res())))]);
  };
  await start();
  return {
    start,
    stop,
    set: (x) => {
      if (x.height !== undefined) height = x.height;
      for (const n of running?.nodes ?? []) n.set({ height });
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
