import { AppError } from "../../core/errors.ts";
import { startSim } from "../../sim/server.ts";
import { seedFleet } from "../../sim/seed.ts";
import type { Io } from "../io.ts";
import { EXIT, type ExitCode } from "../exit.ts";

export interface SimCommandOptions {
  port: number;
  instances: number;
  seed: number;
  attachDelayMs: number;
  latencyMs: number;
  errorRate: number;
  dropRate: number;
  /** Requests per second before 429; 0 turns the limit off. */
  rateLimit: number;
}

/** `nodeward sim`: serves the simulator on loopback until SIGINT/SIGTERM. */
export async function runSim(io: Io, o: SimCommandOptions): Promise<ExitCode> {
  for (const [name, v] of [["--port", o.port], ["--instances", o.instances], ["--seed", o.seed], ["--attach-delay", o.attachDelayMs], ["--latency", o.latencyMs], ["--rate-limit", o.rateLimit]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new AppError("USAGE", `${name} must be a whole number ≥ 0, got ${String(v)}`);
  }
  for (const [name, v] of [["--error-rate", o.errorRate], ["--drop-rate", o.dropRate]] as const) {
    if (!(v >= 0 && v <= 1)) throw new AppError("USAGE", `${name} must be a probability between 0 and 1, got ${String(v)}`);
  }
  const sim = await startSim({
    port: o.port,
    seed: o.seed,
    attachDelayMs: o.attachDelayMs,
    rateLimitPerSecond: o.rateLimit === 0 ? false : o.rateLimit,
    faults: { latencyMs: o.latencyMs, errorRate: o.errorRate, dropRate: o.dropRate },
  });
  const fleet = seedFleet(sim.state, { count: o.instances, seed: o.seed, tags: ["smartnode"] });
  io.out(`Vultr API simulator on ${sim.url} — ${fleet.count} instances (${fleet.withIpv6} with IPv6, ${fleet.permissive} on a permissive "default" group).`);
  io.out(`Point nodeward at it with provider.baseUrl: ${sim.url}`);
  io.out(`with the simulator's fixed, public test key (not a secret): export VULTR_API_KEY=${sim.apiKey}`);
  io.out(`Rate limit ${o.rateLimit === 0 ? "off" : `${o.rateLimit} req/s`}, latency ${o.latencyMs} ms, 5xx rate ${o.errorRate}, drop rate ${o.dropRate}, attachments visible after ${o.attachDelayMs} ms. Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await sim.close();
  return EXIT.ok;
}
