/**
 * bench:detect — detection latency with the default watch settings (interval 60 s, confirm 15 s,
 * failuresToDown 3): a small fleet of simulated SmartNodes on loopback, each on its own address
 * and the real ports; nodes are stopped one at a time at seeded random moments, each only after
 * the previous one's alert arrived, and the time from the stop to the `down` alert reaching the
 * webhook receiver is measured. Prints each stop (with where the time went), the mean and the
 * max, the theoretical worst case, and whether the target (< 3 min at a 60 s interval) is met.
 *
 * Everything runs in this process (simulator, nodes, receiver, and the daemon composed by
 * startWatch as `nodeward watch` does): the measurement needs one clock, not isolation.
 *
 * Environment: BENCH_DETECT_NODES (20), BENCH_DETECT_STOPS (5), BENCH_SEED (2026),
 * BENCH_DETECT_BASE_ADDRESS (127.81.0.1).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { startWatch, type RunningWatch } from "../src/cli/watch/compose.ts";
import { findCoin } from "../src/coins/index.ts";
import { parseConfigText } from "../src/config/load.ts";
import { systemClock } from "../src/core/clock.ts";
import { createLogger } from "../src/core/logger.ts";
import { Redactor } from "../src/core/redact.ts";
import { p2pParamsFor } from "../src/p2p/index.ts";
import { createVultrProvider } from "../src/providers/vultr/adapter.ts";
import { startSimulatedNode, type SimulatedNode } from "../src/sim/smartnode/index.ts";
import { startSim, type Sim } from "../src/sim/server.ts";
import { loopbackAddresses, rangeText } from "./lib/loopback.ts";
import { sleep } from "./lib/proc.ts";
import { startAlertReceiver, type AlertReceiver } from "./lib/receiver.ts";
import { sourceVersion } from "./lib/source.ts";
import { createRandom } from "../src/sim/prng.ts";

const NODES = Number(process.env["BENCH_DETECT_NODES"] ?? 20);
const STOPS = Number(process.env["BENCH_DETECT_STOPS"] ?? 5);
const SEED = Number(process.env["BENCH_SEED"] ?? 2026);
const BASE = process.env["BENCH_DETECT_BASE_ADDRESS"] ?? "127.81.0.1";
if (!Number.isInteger(NODES) || NODES < 2 || NODES > 500 || !Number.isInteger(STOPS) || STOPS < 1 || STOPS >= NODES) {
  console.error("BENCH_DETECT_NODES must be 2–500 and BENCH_DETECT_STOPS 1 to NODES − 1");
  process.exit(2);
}
const TARGET_MS = 180_000;
/** No single wait is unbounded: the first probes of every node, and each alert. */
const ALL_UP_TIMEOUT_MS = 180_000;
const ALERT_TIMEOUT_MS = 300_000;

const params = p2pParamsFor(findCoin("smartcash")!)!;
const s = (ms: number, d = 1) => `${(ms / 1000).toFixed(d)} s`;

const dir = mkdtempSync(join(tmpdir(), "nodeward-bench-detect-"));
let sim: Sim | undefined;
let receiver: AlertReceiver | undefined;
let watch: RunningWatch | undefined;
const nodes = new Map<string, SimulatedNode>();
let code = 1;
try {
  code = await main();
} catch (e) {
  console.error(`bench:detect failed: ${(e as Error).stack ?? String(e)}`);
} finally {
  await watch?.stop().catch(() => undefined);
  for (const n of nodes.values()) await n.close().catch(() => undefined);
  await receiver?.close().catch(() => undefined);
  await sim?.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);

async function main(): Promise<number> {
  const addresses = loopbackAddresses(BASE, NODES);
  sim = await startSim({ rateLimitPerSecond: false });
  receiver = await startAlertReceiver();
  // Fixed instance ids: a node's slot within the interval comes from a hash of its id, so with the
  // seeded stop moments the whole run repeats (up to timer jitter).
  const instances = addresses.map((ip, i) =>
    sim!.state.addInstance({ id: `00000000-0000-4000-8000-${String(SEED % 1e6).padStart(6, "0")}${String(i + 1).padStart(6, "0")}`, label: `sn-${String(i + 1).padStart(2, "0")}`, tags: ["smartnode"], main_ip: ip }),
  );
  for (const inst of instances) nodes.set(inst.id, await startSimulatedNode({ host: inst.main_ip, p2pPort: 9678, sapiPort: 8080, params, height: 2_500_000 }));

  // Default watch settings: only where it listens, where it keeps its history, and the channel.
  const { config } = parseConfigText(
    `version: 1
provider: { type: vultr, baseUrl: "${sim.url}" }
coin: smartcash
nodes: { tags: [smartnode] }
watch: { database: "${join(dir, "nodeward.db")}", listen: "127.0.0.1:0" }
alerts:
  channels:
    - { type: webhook, name: bench-hook, url: "${receiver.origin}/hook" }
`,
    "nodeward.yaml",
  );
  const w = config.watch;
  console.log(
    `bench:detect — ${NODES} simulated SmartNodes on ${rangeText(addresses)} (:9678, :8080), default watch settings (interval ${w.intervalSeconds} s, confirm ${w.confirmIntervalSeconds} s, failuresToDown ${w.failuresToDown}, probe timeout ${w.probeTimeoutSeconds} s), ${STOPS} stops, seed ${SEED}`,
  );
  console.log(`  source     ${sourceVersion(new URL("..", import.meta.url).pathname)}; node ${process.version}`);
  const redactor = new Redactor();
  const log = createLogger({ level: "error", pretty: false, redactor, out: new Writable({ write: (_c, _e, cb) => cb() }) });
  const provider = createVultrProvider({ baseUrl: sim.url, apiKey: sim.apiKey, maxRequestsPerSecond: config.provider.maxRequestsPerSecond, timeoutMs: 10_000, clock: systemClock, redactor });
  const started = Date.now();
  watch = await startWatch({ config, provider, clock: systemClock, log, redactor, env: { VULTR_API_KEY: sim.apiKey } });
  const running = watch;

  // Warm-up: every node probed and up (its first slot falls somewhere in the first interval).
  const end = Date.now() + ALL_UP_TIMEOUT_MS;
  while (!instances.every((i) => running.engine.state(i.id)?.health === "up")) {
    if (Date.now() > end) throw new Error(`not every node was up within ${s(ALL_UP_TIMEOUT_MS, 0)}`);
    await sleep(200);
  }
  console.log(`  all ${NODES} nodes up ${s(Date.now() - started)} after the daemon started`);

  const random = createRandom(SEED);
  const alive = [...instances];
  const latencies: number[] = [];
  const deliveries: number[] = [];
  for (let k = 1; k <= STOPS; k++) {
    // A random moment within one interval: the stop falls at a random phase of the node's slot.
    const delay = Math.floor(random() * w.intervalSeconds * 1000);
    const victim = alive.splice(Math.floor(random() * alive.length), 1)[0]!;
    await sleep(delay);
    const stoppedAt = Date.now();
    await nodes.get(victim.id)!.close();
    nodes.delete(victim.id);
    const alert = await receiver.waitFor((a) => a.kind === "down" && a.node === victim.label, ALERT_TIMEOUT_MS);
    if (alert === null) {
      console.log(`  stop ${k}  ${victim.label} (${victim.main_ip}): NO down alert within ${s(ALERT_TIMEOUT_MS, 0)}`);
      latencies.push(Infinity);
      continue;
    }
    const ms = alert.at - stoppedAt;
    const ev = alert.body.event;
    const since = ev.since ?? NaN;
    latencies.push(ms);
    deliveries.push(alert.at - ev.at);
    console.log(
      `  stop ${k}  ${victim.label} (${victim.main_ip}) stopped ${s(delay)} after ${k === 1 ? "all were up" : "the previous alert"} → down alert after ${s(ms)}` +
        `  [to its next slot (1st failed probe) ${s(since - stoppedAt)}, confirmations ${s(ev.at - since)}, delivery ${(alert.at - ev.at).toFixed(0)} ms] cause: ${ev.cause ?? "?"}`,
    );
  }

  const finite = latencies.filter(Number.isFinite);
  const mean = finite.reduce((a, b) => a + b, 0) / Math.max(1, finite.length);
  const max = Math.max(...latencies);
  const deliveryMax = Math.max(0, ...deliveries);
  // Outbox delivery: the scheduler hands results to the engine in batches at least once a second
  // and wakes at least every 250 ms (≤ 1.25 s), the engine queues the alert in the outbox and
  // wakes the dispatcher, which POSTs it at once (a few ms on loopback; the measured max is shown).
  const delivery = Math.max(1250 + 50, deliveryMax);
  const worst = w.intervalSeconds * 1000 + (w.failuresToDown - 1) * w.confirmIntervalSeconds * 1000 + delivery;
  const silent = worst + w.failuresToDown * w.probeTimeoutSeconds * 1000;
  console.log(`\n  detection latency         mean ${s(mean)}, max ${s(max)}, min ${s(Math.min(...latencies))} over ${latencies.length} stops${finite.length < latencies.length ? ` (${latencies.length - finite.length} never alerted)` : ""}`);
  console.log(
    `  theoretical worst case    interval + (failuresToDown − 1) × confirm + outbox delivery = ${w.intervalSeconds} s + ${w.failuresToDown - 1} × ${w.confirmIntervalSeconds} s + delivery` +
      ` (results batched ≤ 1.25 s, then outbox and POST; measured max ${deliveryMax.toFixed(0)} ms) ≈ ${s(worst)}`,
  );
  console.log(
    `                            for a stopped daemon (connection refused at once); a node that stops answering without refusing` +
      ` (blackholed) adds up to a ${w.probeTimeoutSeconds} s probe timeout per failed probe: ≈ ${s(silent)}`,
  );
  console.log(`  alerts received           ${receiver.alerts.length} (${receiver.alerts.map((a) => `${a.kind}:${a.node}`).join(", ")})`);
  const ok = finite.length === latencies.length && max < TARGET_MS;
  console.log(`\ntarget (< 3 min at a 60 s interval): ${ok ? "met" : "NOT met"}`);
  return ok ? 0 : 1;
}
