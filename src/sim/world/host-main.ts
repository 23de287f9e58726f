/**
 * The simulated nodes of the world, run inside its network namespace (`ip netns exec … node
 * --import tsx host-main.ts COIN`). One JSON command per stdin line, one JSON answer per stdout
 * line. Each instance gets, on every one of its addresses: the coin's P2P responder, SAPI when the
 * coin has it, and an SSH-like banner on port 22 (what a fresh server exposes). All nodes answer
 * `dseg` from one SmartNode list, the world's network, which the commands script. Ends when stdin closes.
 */
import { createInterface } from "node:readline";
import { findCoin } from "../../coins/index.ts";
import { p2pParamsFor } from "../../p2p/params.ts";
import { createNetworkList } from "../smartnode/index.ts";
import { parseHostCommand, startHostedNode, type HostedNode } from "./hosted-node.ts";

const coin = findCoin(process.argv[2] ?? "");
const params = coin === undefined ? undefined : p2pParamsFor(coin);
const reply = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

if (coin === undefined || params === undefined || coin.p2p === undefined) {
  reply({ ok: false, error: `no P2P profile for coin ${process.argv[2] ?? "(none)"}` });
  process.exit(1);
}

const nodes = new Map<string, HostedNode>();
const network = coin.smartnodeList === undefined ? undefined : createNetworkList({ coin });
const settings = { coin, params, p2pPort: coin.p2p.defaultPort, sapiPort: coin.sapi?.port, network };
reply({ ready: true });

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  void (async () => {
    const cmd = parseHostCommand(line);
    if (!cmd.ok) return reply({ ok: false, seq: cmd.seq, error: cmd.error });
    const c = cmd.command;
    try {
      if (c.op === "add") {
        if (nodes.has(c.id)) return reply({ ok: false, seq: c.seq, error: `node ${c.id} is already there` });
        nodes.set(c.id, await startHostedNode(c.addresses, { ...settings, height: c.height, collateral: c.collateral }));
      } else {
        const node = nodes.get(c.id);
        if (node === undefined) return reply({ ok: false, seq: c.seq, error: `unknown node ${c.id}` });
        if (c.op === "stop") await node.stop();
        else if (c.op === "start") await node.start();
        else if (c.op === "network") node.setNetwork({ ping: c.ping, synced: c.synced });
        else node.set({ ...(c.height === undefined ? {} : { height: c.height }) });
      }
      reply({ ok: true, seq: c.seq });
    } catch (e) {
      reply({ ok: false, seq: c.seq, error: (e as Error).message });
    }
  })();
});
lines.on("close", () => {
  void Promise.all([...nodes.values()].map((n) => n.stop())).finally(() => process.exit(0));
});
