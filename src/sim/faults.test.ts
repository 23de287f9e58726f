import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { call, withCheckedSim } from "../../test/helpers/sim.ts";

const p2p = { ip_type: "v4", protocol: "tcp", port: "9678", subnet: "0.0.0.0", subnet_size: 0 };

describe("simulator server: rate limit and faults", () => {
  it("answers 429 with Retry-After: 1 beyond 30 requests per second", async () => {
    await withCheckedSim({}, async (sim) => {
      const answers = await Promise.all(Array.from({ length: 40 }, () => call(sim, "GET", "/firewalls")));
      const limited = answers.filter((a) => a.status === 429);
      assert.equal(answers.filter((a) => a.status === 200).length, 30);
      assert.equal(limited.length, 10);
      assert.equal(limited[0]?.headers.get("retry-after"), "1");
      assert.deepEqual(limited[0]?.json, { error: "rate limit exceeded", status: 429 });
      assert.equal(sim.stats().byStatus["429"], 10);
    });
  });

  it("answers the next N requests 429 during a burst, then recovers", async () => {
    await withCheckedSim({ faults: { rateLimitBurst: 2 } }, async (sim) => {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(sim, "GET", "/firewalls")).status);
      assert.deepEqual(statuses, [429, 429, 200]);
    });
  });

  it("answers 500 at the configured error rate, reproducibly for a seed", async () => {
    const run = (seed: number) =>
      withCheckedSim({ seed, rateLimitPerSecond: false, faults: { errorRate: 0.5 } }, async (sim) => {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) statuses.push((await call(sim, "GET", "/instances")).status);
        return statuses;
      });
    const a = await run(42);
    assert.deepEqual(await run(42), a);
    assert.ok(a.includes(500) && a.includes(200));
    await withCheckedSim({ faults: { errorRate: 1 } }, async (sim) => {
      const r = await call(sim, "POST", "/firewalls", { description: "x" });
      assert.deepEqual([r.status, r.json], [500, { error: "Internal server error.", status: 500 }]);
      assert.equal(sim.state.groups().length, 0);
    });
  });

  it("drops connections without an answer at the configured drop rate", async () => {
    await withCheckedSim({ faults: { dropRate: 1 } }, async (sim) => {
      await assert.rejects(call(sim, "GET", "/firewalls"));
      assert.equal(sim.stats().byStatus.dropped, 1);
      sim.clearFaults();
      assert.equal((await call(sim, "GET", "/firewalls")).status, 200);
    });
  });

  it("answers 200 with a body that is not JSON when garbage is on", async () => {
    await withCheckedSim({}, async (sim) => {
      sim.setFaults({ garbage: true });
      const r = await call(sim, "GET", "/firewalls");
      assert.equal(r.status, 200);
      assert.throws(() => JSON.parse(r.text));
    });
  });

  it("adds latency before every answer", async () => {
    await withCheckedSim({ faults: { latencyMs: 80 } }, async (sim) => {
      const t0 = performance.now();
      await call(sim, "GET", "/firewalls");
      assert.ok(performance.now() - t0 >= 75);
    });
  });

  it("merges setFaults into the current faults and clears them all with clearFaults", async () => {
    await withCheckedSim({ faults: { latencyMs: 5 } }, async (sim) => {
      sim.setFaults({ errorRate: 0.1 });
      sim.setFaults({});
      assert.deepEqual(sim.faults(), { latencyMs: 5, errorRate: 0.1, rateLimitBurst: 0, dropRate: 0, garbage: false });
      sim.clearFaults();
      assert.deepEqual(sim.faults(), { latencyMs: 0, errorRate: 0, rateLimitBurst: 0, dropRate: 0, garbage: false });
    });
  });

  it("fails the chosen write with 500 without applying it, once", async () => {
    await withCheckedSim({}, async (sim) => {
      const group = sim.state.addGroup("g");
      sim.setFaults({ failWrite: { index: 1, mode: "error" } });
      assert.equal((await call(sim, "POST", `/firewalls/${group.id}/rules`, p2p)).status, 201);
      assert.equal((await call(sim, "GET", `/firewalls/${group.id}/rules`)).status, 200);
      const failed = await call(sim, "POST", `/firewalls/${group.id}/rules`, { ...p2p, port: "8080" });
      assert.equal(failed.status, 500);
      assert.deepEqual(sim.state.rules(group.id).map((r) => r.port), ["9678"]);
      assert.equal((await call(sim, "POST", `/firewalls/${group.id}/rules`, { ...p2p, port: "8080" })).status, 201);
      assert.equal(sim.faults().failWrite, undefined);
    });
  });

  it("drops the chosen write before applying it", async () => {
    await withCheckedSim({}, async (sim) => {
      const group = sim.state.addGroup("g");
      sim.setFaults({ failWrite: { index: 0, mode: "drop-before" } });
      await assert.rejects(call(sim, "POST", `/firewalls/${group.id}/rules`, p2p));
      assert.deepEqual(sim.state.rules(group.id), []);
    });
  });

  it("applies the chosen write and then drops its answer", async () => {
    await withCheckedSim({}, async (sim) => {
      const group = sim.state.addGroup("g");
      sim.setFaults({ failWrite: { index: 0, mode: "drop-after" } });
      await assert.rejects(call(sim, "POST", `/firewalls/${group.id}/rules`, p2p));
      assert.deepEqual(sim.state.rules(group.id).map((r) => r.port), ["9678"]);
      const retry = await call(sim, "POST", `/firewalls/${group.id}/rules`, p2p);
      assert.equal(retry.status, 400, "a blind retry of the lost POST hits the duplicate rule");
    });
  });
});
