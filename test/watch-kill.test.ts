import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { findCoin } from "../src/coins/index.ts";
import { p2pParamsFor } from "../src/p2p/index.ts";
import { startSimulatedNode, type SimulatedNode } from "../src/sim/smartnode/index.ts";
import { startReceiver } from "../src/alerts/testing/http-receiver.ts";
import { startCheckedSim } from "./helpers/sim.ts";
import { runCli, tempProject } from "./helpers/cli.ts";
import { freePort, until } from "./helpers/watch-world.ts";

const BIN = new URL("../bin/nodeward.js", import.meta.url).pathname;
const params = p2pParamsFor(findCoin("smartcash")!)!;

describe("nodeward watch survives kill -9 and stops cleanly on SIGTERM", () => {
  it("continues the open incident after a kill -9: no second down alert, one recovered alert for the same incident", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    const receiver = await startReceiver({ status: 204 });
    const a = sim.state.addInstance({ label: "sn-a", tags: ["smartnode"], main_ip: "127.93.0.1" });
    const b = sim.state.addInstance({ label: "sn-b", tags: ["smartnode"], main_ip: "127.93.0.2" });
    const start = (host: string) => startSimulatedNode({ host, p2pPort: 9678, sapiPort: 8080, params });
    let nodeA: SimulatedNode = await start(a.main_ip);
    const nodeB = await start(b.main_ip);
    const project = tempProject();
    const port = await freePort();
    writeFileSync(project.file, `version: 1
provider: { type: vultr, baseUrl: "${sim.url}" }
coin: smartcash
nodes: { tags: [smartnode] }
watch: { intervalSeconds: 1, confirmIntervalSeconds: 1, failuresToDown: 2, successesToUp: 1, probeTimeoutSeconds: 1, listen: "127.0.0.1:${port}", database: "${join(project.dir, "nodeward.db")}" }
alerts:
  channels:
    - { type: webhook, name: hook, url: "${receiver.origin}/hook" }
`);
    const spawnWatch = (): ChildProcess => spawn(process.execPath, [BIN, "watch"], { cwd: project.dir, env: { PATH: process.env.PATH, HOME: project.dir, VULTR_API_KEY: sim.apiKey, NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"] });
    const healthy = async () => {
      try {
        const h = (await (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) })).json()) as { nodes: number; probes: number };
        return h.nodes === 2 && h.probes >= 4;
      } catch {
        return false;
      }
    };
    const events = () => receiver.requests.map((r) => JSON.parse(r.body) as { event: { kind: string; incidentId?: string } }).map((m) => m.event);
    let child = spawnWatch();
    try {
      await until("the first watcher to probe both nodes", healthy);
      await nodeA.close();
      await until("the down alert", () => events().some((e) => e.kind === "down"));
      const incidentId = events().find((e) => e.kind === "down")?.incidentId;
      const status = await runCli(["status", "--json"], { cwd: project.dir, env: { VULTR_API_KEY: sim.apiKey } });
      assert.equal(status.code, 2, status.stderr);
      const rows = (JSON.parse(status.stdout) as { nodes: { node: string; health: string; incident: { minutesToExpired: number } | null }[] }).nodes;
      const down = rows.find((r) => r.node === "sn-a");
      assert.equal(down?.health, "down");
      assert.ok(down?.incident !== null && down!.incident.minutesToExpired >= 63 && down!.incident.minutesToExpired <= 65, JSON.stringify(down));
      child.kill("SIGKILL");
      await once(child, "exit");

      nodeA = await start(a.main_ip);
      child = spawnWatch();
      await until("the recovered alert from the second watcher", () => events().some((e) => e.kind === "recovered"));
      assert.deepEqual(events().map((e) => e.kind), ["down", "recovered"]);
      assert.equal(events()[1]?.incidentId, incidentId, "the restarted daemon closed the incident the first one opened");

      child.kill("SIGTERM");
      const [code] = (await once(child, "exit")) as [number | null];
      assert.equal(code, 0, "SIGTERM: a clean stop, exit 0");
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await nodeA.close().catch(() => undefined);
      await nodeB.close();
      await receiver.close();
      await sim.closeAndCheck();
      project.cleanup();
    }
  });
});
