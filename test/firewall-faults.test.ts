import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { systemClock } from "../src/core/clock.ts";
import { applyPlan } from "../src/firewall/apply.ts";
import { preparePlan } from "../src/firewall/prepare.ts";
import { ruleKey } from "../src/firewall/rule.ts";
import { seedFleet } from "../src/sim/seed.ts";
import { startCheckedSim } from "./helpers/sim.ts";
import { invariant1Violations, providerFor, SMARTCASH_POLICY, smartnodeRequest } from "./helpers/firewall.ts";

/**
 * Invariant 4 under faults: for a 50-instance fleet, interrupt apply at every write call in turn
 * (server error, connection dropped before the change, connection dropped after the change took
 * effect), run apply again, and check it converges with no duplicate group or rule, and that
 * invariant 1 held at every state the simulator recorded.
 */
const FLEET = { count: 50, seed: 11, tags: ["smartnode"], ipv6Fraction: 0.2, permissiveFraction: 0.5, noGroupFraction: 0.5 };
const MODES = ["error", "drop-before", "drop-after"] as const;

async function freshSim() {
  const sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 20 });
  seedFleet(sim.state, FLEET);
  sim.state.addInstance({ label: "web-1", tags: ["web"] });
  return sim;
}

async function apply(sim: Awaited<ReturnType<typeof freshSim>>) {
  const provider = providerFor(sim, { maxRequestsPerSecond: 2000, timeoutMs: 2_000 });
  const prepared = await preparePlan(provider, smartnodeRequest());
  await applyPlan(prepared, { provider, clock: systemClock, attachConcurrency: 8, attachTimeoutMs: 10_000, pollIntervalMs: 20 });
  return prepared;
}

describe("apply interrupted at every write call", async () => {
  const probe = await freshSim();
  await apply(probe);
  const totalWrites = probe.stats().writes;
  await probe.closeAndCheck();

  it("needs a few dozen write calls for 50 fresh instances", () => {
    assert.ok(totalWrites >= 50 + 4 + 1, `writes: ${totalWrites}`);
  });

  for (const mode of MODES) {
    it(`converges after a ${mode} at each of the write calls`, async () => {
      for (let k = 0; k < totalWrites; k++) {
        const sim = await freshSim();
        try {
          sim.setFaults({ failWrite: { index: k, mode } });
          const first = await apply(sim).then(() => null, (e: unknown) => e);
          sim.clearFaults();
          const prepared = await apply(sim);
          const after = await preparePlan(providerFor(sim, { maxRequestsPerSecond: 2000 }), smartnodeRequest());
          assert.deepEqual(after.plan.changes, [], `write #${k} ${mode}: not converged (${String(first)})`);

          const groups = sim.state.groups().filter((g) => g.description === "SmartNodes Only");
          assert.equal(groups.length, 1, `write #${k} ${mode}: ${groups.length} policy groups`);
          const keys = sim.state.rules(groups[0]!.id).map((r) => ruleKey(r));
          assert.equal(new Set(keys).size, keys.length, `write #${k} ${mode}: duplicate rule`);
          assert.deepEqual(invariant1Violations(sim, "SmartNodes Only", SMARTCASH_POLICY, prepared.selected), [], `write #${k} ${mode}`);
        } finally {
          await sim.closeAndCheck();
        }
      }
    });
  }
});
