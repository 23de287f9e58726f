/**
 * bench:apply — harden 1,000 fresh instances on the simulator (30 req/s limit, 20 ms latency)
 * and compare, in the same run, with a naive client that attaches one instance after another
 * with no pacing and no retries (what vultr-node or a shell loop does).
 *
 * Prints API calls by kind, wall time, and the ratio of wall time to the lower bound
 * (calls made / 30 per second). Targets: one PATCH per instance, reads that do not grow per
 * instance, wall within 1.15x of the bound, zero failed calls.
 */
import { systemClock } from "../src/core/clock.ts";
import { Redactor } from "../src/core/redact.ts";
import { applyPlan } from "../src/firewall/apply.ts";
import { preparePlan } from "../src/firewall/prepare.ts";
import { createVultrProvider } from "../src/providers/vultr/adapter.ts";
import { startSim, type Sim } from "../src/sim/server.ts";
import { seedFleet } from "../src/sim/seed.ts";
import { configSchema } from "../src/config/schema.ts";

const N = Number(process.env.BENCH_INSTANCES ?? 1000);
const LATENCY_MS = 20;
const ATTACH_DELAY_MS = 500;
const LIMIT = 30;

interface Outcome {
  name: string;
  wallMs: number;
  calls: number;
  failed: number;
  byKind: Record<string, number>;
  attachedVisible: number;
}

async function fleet(): Promise<Sim> {
  const sim = await startSim({ rateLimitPerSecond: LIMIT, attachDelayMs: ATTACH_DELAY_MS, faults: { latencyMs: LATENCY_MS } });
  seedFleet(sim.state, { count: N, seed: 2026, tags: ["smartnode"], noGroupFraction: 1, ipv6Fraction: 0, permissiveFraction: 0 });
  return sim;
}

function outcome(name: string, sim: Sim, wallMs: number): Outcome {
  const st = sim.stats();
  const failed = Object.entries(st.byStatus).filter(([code]) => Number(code) >= 400).reduce((n, [, v]) => n + v, 0);
  const group = sim.state.groups().find((g) => g.description === "SmartNodes Only");
  const attachedVisible = group === undefined ? 0 : sim.state.instances().filter((i) => i.firewall_group_id === group.id).length;
  return { name, wallMs, calls: st.total, failed, byKind: st.byKind, attachedVisible };
}

async function nodeward(): Promise<Outcome> {
  const sim = await fleet();
  const rps = configSchema.parse({ version: 1, provider: { type: "vultr" }, coin: "smartcash", nodes: { tags: ["x"] } }).provider.maxRequestsPerSecond;
  const provider = createVultrProvider({ baseUrl: sim.url, apiKey: sim.apiKey, maxRequestsPerSecond: rps, timeoutMs: 30_000, clock: systemClock, redactor: new Redactor() });
  const started = performance.now();
  const prepared = await preparePlan(provider, {
    policy: { description: "SmartNodes Only", ports: [{ protocol: "tcp", port: 9678, purpose: "P2P" }, { protocol: "tcp", port: 8080, purpose: "SAPI" }], adminAccess: [], icmp: false },
    select: (xs) => xs.filter((i) => i.tags.includes("smartnode")),
    selectorText: "tags smartnode",
  });
  await applyPlan(prepared, { provider, clock: systemClock, attachConcurrency: 8, attachTimeoutMs: 120_000, pollIntervalMs: 500 });
  const wall = performance.now() - started;
  const out = outcome(`nodeward (pacing ${rps}/s, concurrency 8)`, sim, wall);
  await sim.close();
  return out;
}

/** The baseline: sequential PATCHes as fast as answers come, no pacing, no retries. */
async function naive(): Promise<Outcome> {
  const sim = await fleet();
  const h = { authorization: `Bearer ${sim.apiKey}`, "content-type": "application/json" };
  const started = performance.now();
  const g = (await (await fetch(`${sim.url}/firewalls`, { method: "POST", headers: h, body: JSON.stringify({ description: "SmartNodes Only" }) })).json()) as { firewall_group: { id: string } };
  for (const port of ["9678", "8080"]) {
    await fetch(`${sim.url}/firewalls/${g.firewall_group.id}/rules`, { method: "POST", headers: h, body: JSON.stringify({ ip_type: "v4", protocol: "tcp", port, subnet: "0.0.0.0", subnet_size: 0 }) });
  }
  for (const inst of sim.state.instances()) {
    const res = await fetch(`${sim.url}/instances/${inst.id}`, { method: "PATCH", headers: h, body: JSON.stringify({ firewall_group_id: g.firewall_group.id }) });
    await res.arrayBuffer();
  }
  const wall = performance.now() - started;
  await new Promise((r) => setTimeout(r, ATTACH_DELAY_MS + 50));
  const out = outcome("naive (sequential, no pacing, no retries)", sim, wall);
  await sim.close();
  return out;
}

function print(o: Outcome): void {
  const bound = (o.calls / LIMIT) * 1000;
  const reads = Object.entries(o.byKind).filter(([k]) => k.startsWith("GET")).reduce((n, [, v]) => n + v, 0);
  console.log(`\n${o.name}`);
  console.log(`  wall time             ${(o.wallMs / 1000).toFixed(2)} s`);
  console.log(`  API calls             ${o.calls} (failed: ${o.failed})`);
  for (const [k, v] of Object.entries(o.byKind).sort()) console.log(`    ${k.padEnd(34)} ${v}`);
  console.log(`  PATCH per instance    ${((o.byKind["PATCH /instances/{id}"] ?? 0) / N).toFixed(3)}`);
  console.log(`  reads                 ${reads}`);
  console.log(`  lower bound           ${(bound / 1000).toFixed(2)} s (${o.calls} calls / ${LIMIT} per s)`);
  console.log(`  wall / bound          ${(o.wallMs / bound).toFixed(3)}x`);
  console.log(`  attached (visible)    ${o.attachedVisible}/${N}`);
}

console.log(`bench:apply — ${N} fresh instances, simulator limit ${LIMIT} req/s, latency ${LATENCY_MS} ms, attach visible after ${ATTACH_DELAY_MS} ms`);
const a = await nodeward();
print(a);
const b = await naive();
print(b);
const ok = a.failed === 0 && a.wallMs / ((a.calls / LIMIT) * 1000) <= 1.15 && a.byKind["PATCH /instances/{id}"] === N && a.attachedVisible === N;
console.log(`\ntargets (1 PATCH/instance, wall ≤ 1.15x bound, 0 failed, all attached): ${ok ? "met" : "NOT met"}`);
