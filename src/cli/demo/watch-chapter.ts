import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { parseConfigText } from "../../config/load.ts";
import { systemClock } from "../../core/clock.ts";
import { createLogger } from "../../core/logger.ts";
import type { VultrProvider } from "../../providers/vultr/adapter.ts";
import type { Sim } from "../../sim/server.ts";
import type { World } from "../../sim/world/world.ts";
import { openSqliteStore } from "../../store/index.ts";
import type { Io } from "../io.ts";
import { startWatch } from "../watch/compose.ts";
import { demoSmartnodes } from "./collateral.ts";

const demoWatchConfig = (baseUrl: string, hook: string, smartnodes: string) => `version: 1
provider: { type: vultr, baseUrl: "${baseUrl}" }
coin: smartcash
nodes: { tags: [smartnode] }
# The demo's intervals are seconds so it fits in a minute; the defaults are 60 s / 15 s / 3 failures / 10 minutes,
# and the network is asked every 300 s.
watch: { intervalSeconds: 2, confirmIntervalSeconds: 1, failuresToDown: 2, successesToUp: 1, probeTimeoutSeconds: 1, listen: "127.0.0.1:0" }
remediation: { enabled: true, afterMinutes: 0.1 }
# Each node's collateral, as \`nodeward import smartnode.conf\` writes it: the watcher asks the other nodes about it.
smartnodes:
${smartnodes}
netview: { intervalSeconds: 5, timeoutSeconds: 3 }
alerts:
  channels:
    - { type: webhook, name: demo-receiver, url: "${hook}" }
`;


/**
 * The watch chapter: a node the network has EXPIRED although it answers every probe, found by
 * asking the other nodes; then a node's daemon crashes: the alert, the reboot through the API, the recovery.
 */
export async function watchChapter(io: Io, sim: Sim, world: World, provider: VultrProvider, database: string): Promise<void> {
  const s = io.style;
  const received: string[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const m = JSON.parse(body) as { event: { kind: string }; title: string; text: string };
      received.push(m.event.kind);
      io.out(`  ${s.yellow("▶ alert")} ${s.bold(m.title)}\n${m.text.split("\n").slice(1).filter((l) => l.trim() !== "").slice(0, 3).map((l) => `      ${s.dim(l)}`).join("\n")}`);
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const { config } = parseConfigText(demoWatchConfig(sim.url, hook, demoSmartnodes(sim.state)), "demo nodeward.yaml");
  const log = createLogger({ level: "error", pretty: false, redactor: io.redactor, out: new Writable({ write: (_c, _e, cb) => cb() }) });
  const stores = openSqliteStore(database);
  // A node whose daemon runs but whose pings the network stopped counting 70 minutes ago (never
  // started from the wallet, a wrong externalip, SAPI unreachable): nodeward's probes find it up.
  const lagging = sim.state.instances().find((i) => i.tags.includes("smartnode") && i.main_ip !== "")!;
  await world.setNetwork(lagging.id, { ping: { staleMinutes: 70 } });
  const watch = await startWatch({ config, provider, clock: systemClock, log, redactor: io.redactor, env: {}, stores });
  const until = async (cond: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; !cond(); ) {
      if (Date.now() > end) throw new Error("the demo's watch chapter timed out");
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await watch.ready;
    const nodes = watch.engine.nodes();
    await until(() => nodes.every((n) => watch.engine.state(n.nodeId)?.health === "up"), 20_000);
    io.out(`Watching ${nodes.length} nodes (handshake + SAPI every 2 s in this demo, 60 s by default); metrics at ${watch.url}/metrics`);
    io.out(`Asking the other nodes what the network thinks of each (dseg → mnb + mnp, every 5 s in this demo, 300 s by default).`);
    io.out(`\n${s.red("✗")} ${lagging.label}: answers the handshake and SAPI, yet the network last counted a ping from it 70 minutes ago.`);
    await until(() => received.includes("network-expired"), 30_000);
    await world.setNetwork(lagging.id, { ping: "fresh" });
    io.out(`${s.green("✓")} The operator starts it from the wallet (smartnode start-alias); its pings are counted again.`);
    await until(() => received.includes("network-ok"), 30_000);
    const victim = [...nodes].reverse().find((n) => n.nodeId !== lagging.id)!;
    await world.stopNode(victim.nodeId);
    io.out(`\n${s.red("✗")} ${victim.name}: smartcashd crashes (its firewall is fine, the daemon is gone).`);
    await until(() => received.includes("down"), 20_000);
    io.out(s.dim(`  … remediation is on: after ${config.remediation.afterMinutes} min down, nodeward asks Vultr to reboot the instance`));
    await until(() => sim.state.powerEvents(victim.nodeId).some((e) => e.action === "reboot"), 30_000);
    io.out(`${s.yellow("↻")} POST /instances/${victim.nodeId}/reboot through the API; the simulated server comes back after 3 s.`);
    await until(() => received.includes("recovered"), 30_000);
    const [incident] = await stores.incidents.list({ nodeId: victim.nodeId, limit: 1 });
    io.out(`\nIncident timeline (from the daemon's SQLite store):`);
    for (const e of incident?.timeline ?? []) io.out(`  ${new Date(e.at).toISOString().slice(11, 19)}  ${e.kind.padEnd(12)} ${e.detail}`);
  } finally {
    await watch.stop();
    stores.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  }
}
