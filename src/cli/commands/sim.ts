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
}

/** `nodeward sim`: serves the simulator on loopback until SIGINT/SIGTERM. */
export async function runSim(io: Io, o: SimCommandOptions): Promise<ExitCode> {
  for (const [name, v, min] of [["--port", o.port, 0], ["--instances", o.instances, 0], ["--seed", o.seed, 0], ["--attach-delay", o.attachDelayMs, 0]] as const) {
    if (!Number.isInteger(v) || v < min) throw new AppError("USAGE", `${name} must be a whole number ≥ ${min}, got ${String(v)}`);
  }
  const sim = await startSim({ port: o.port, attachDelayMs: o.attachDelayMs });
  const fleet = seedFleet(sim.state, { count: o.instances, seed: o.seed, tags: ["smartnode"] });
  io.out(`Vultr API simulator on ${sim.url} — ${fleet.count} instances (${fleet.withIpv6} with IPv6, ${fleet.permissive} on a permissive "default" group).`);
  io.out(`Point nodeward at it with provider.baseUrl: ${sim.url}`);
  io.out(`with the simulator's fixed, public test key (not a secret): export VULTR_API_KEY=${sim.apiKey}`);
  io.out("Ctrl-C to stop.");
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await sim.close();
  return EXIT.ok;
}
