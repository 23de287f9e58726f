import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { preparePlan } from "../src/firewall/prepare.ts";
import { seedFleet } from "../src/sim/seed.ts";
import { startCheckedSim } from "./helpers/sim.ts";
import { runCli, simConfig, tempProject } from "./helpers/cli.ts";
import { invariant1Violations, providerFor, SMARTCASH_POLICY, smartnodeRequest } from "./helpers/firewall.ts";

/**
 * Invariant 4 against a real crash: `nodeward firewall apply --yes` is killed with SIGKILL while
 * its write calls are in flight, at several points of a 50-instance apply; a second run must
 * converge, with invariant 1 intact at every state the simulator recorded.
 */
const KILL_AT_WRITE = [1, 3, 6, 20, 45];

describe("apply killed mid-way (SIGKILL) and run again", () => {
  for (const k of KILL_AT_WRITE) {
    it(`converges after a kill at write call #${k}`, async () => {
      const sim = await startCheckedSim({ attachDelayMs: 50, faults: { latencyMs: 15 } });
      seedFleet(sim.state, { count: 50, seed: 21, tags: ["smartnode"], ipv6Fraction: 0.2, permissiveFraction: 0.5, noGroupFraction: 0.5 });
      const project = tempProject(simConfig(sim.url));
      const env = { VULTR_API_KEY: sim.apiKey };
      try {
        let timer: NodeJS.Timeout | undefined;
        const killed = await runCli(["firewall", "apply", "--yes"], {
          cwd: project.dir,
          env,
          onSpawn: (child) => {
            timer = setInterval(() => {
              if (sim.stats().writes >= k) child.kill("SIGKILL");
            }, 1);
          },
        });
        clearInterval(timer);
        assert.equal(killed.signal, "SIGKILL", `the first run should have been killed (exit ${killed.code}): ${killed.stderr}`);

        const again = await runCli(["firewall", "apply", "--yes"], { cwd: project.dir, env });
        assert.equal(again.code, 0, again.stderr);
        const after = await preparePlan(providerFor(sim), smartnodeRequest());
        assert.deepEqual(after.plan.changes, []);
        assert.equal(sim.state.groups().filter((g) => g.description === "SmartNodes Only").length, 1);
        assert.deepEqual(invariant1Violations(sim, "SmartNodes Only", SMARTCASH_POLICY, after.selected), []);
      } finally {
        project.cleanup();
        await sim.closeAndCheck();
      }
    });
  }
});
