import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { inspect } from "node:util";
import { systemClock } from "../../core/clock.ts";
import { AppError, ProviderHttpError } from "../../core/errors.ts";
import { Redactor } from "../../core/redact.ts";
import { startCheckedSim, type CheckedSim } from "../../../test/helpers/sim.ts";
import { createVultrProvider, type VultrProviderOptions } from "./adapter.ts";
import type { RequestInfo } from "./http.ts";

/** The Vultr client over real HTTP against the simulator: pacing, 429, retries, errors. */

function providerFor(sim: CheckedSim, over: Partial<VultrProviderOptions> = {}) {
  const infos: RequestInfo[] = [];
  const provider = createVultrProvider({
    baseUrl: sim.url, apiKey: sim.apiKey, clock: systemClock, redactor: new Redactor(), timeoutMs: 5_000,
    backoff: { baseMs: 20, maxMs: 200 }, onRequest: (i) => infos.push(i), ...over,
  });
  return { provider, infos };
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => assert.fail("expected a failure"), (err: unknown) => err);
  assert.ok(e instanceof AppError, `expected AppError, got ${inspect(e)}`);
  return e;
}

/** The most timestamps in any window (t − 1000, t], as the simulator's limiter counts. */
function maxInAnySecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[j] ?? 0) <= (sorted[i] ?? 0) - 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("VultrHttp against the simulator", () => {
  it("paces a burst of 60 concurrent GETs under 30 per second, and the sim never answers 429", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: 30 });
    try {
      const { provider, infos } = providerFor(sim);
      await Promise.all(Array.from({ length: 60 }, () => provider.listGroups()));
      const sent = infos.map((i) => i.startedAt);
      // Every attempt counts against the limit; a retry under a loaded test machine is allowed, a lost call is not.
      assert.equal(infos.filter((i) => i.outcome === "ok").length, 60, JSON.stringify(infos.filter((i) => i.outcome !== "ok")));
      assert.ok(maxInAnySecond(sent) <= 29, `max per second ${maxInAnySecond(sent)}`);
      assert.equal(sim.stats().byStatus["429"], undefined);
      assert.ok((sim.stats().byStatus["200"] ?? 0) >= 60);
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("honours Retry-After on 429 and pauses the other requests too", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    try {
      // 5 per second: the 429 surely arrives before the next request's slot.
      const { provider, infos } = providerFor(sim, { maxRequestsPerSecond: 5 });
      sim.setFaults({ rateLimitBurst: 1 });
      const t0 = Date.now();
      await Promise.all([provider.listGroups(), provider.listInstances(), provider.listGroups()]);
      const limited = infos.find((i) => i.status === 429);
      assert.ok(limited, "one request was rate limited");
      assert.match(limited.error ?? "", /waits 1000 ms/);
      const after = infos.filter((i) => i.startedAt > limited.startedAt);
      assert.equal(after.length, 3, "the limited request and the other two went out later");
      for (const i of after) assert.ok(i.startedAt - limited.startedAt >= 990, `sent ${i.startedAt - limited.startedAt} ms after the 429`);
      assert.ok(Date.now() - t0 < 3500);
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("retries a 500 on GET and succeeds", async () => {
    const sim = await startCheckedSim({ faults: { errorRate: 1 } });
    try {
      const { provider, infos } = providerFor(sim, { onRequest: (i) => {
        infos.push(i);
        if (i.status === 500) sim.setFaults({ errorRate: 0 });
      } });
      sim.state.addGroup("web");
      const groups = await provider.listGroups();
      assert.deepEqual(groups.map((g) => g.description), ["web"]);
      assert.deepEqual(infos.map((i) => [i.status, i.outcome]), [[500, "retry"], [200, "ok"]]);
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("explains a 401 and never shows the key it sent", async () => {
    const sim = await startCheckedSim();
    try {
      const wrongKey = "WRONGKEY9999999999999999999999999999";
      const { provider } = providerFor(sim, { apiKey: wrongKey });
      const e = await rejection(provider.listInstances());
      assert.ok(e instanceof ProviderHttpError);
      assert.equal(e.code, "PROVIDER_AUTH");
      assert.match(e.message, /401 Unauthorized to GET \/instances.*check VULTR_API_KEY, its permissions, and the key's allowed IP list/);
      for (const text of [e.message, String(e.stack), JSON.stringify(e), inspect(e, { depth: 10 })]) {
        assert.equal(text.includes(wrongKey), false);
      }
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("reports a non-JSON answer as PROVIDER_BAD_RESPONSE with its beginning", async () => {
    const sim = await startCheckedSim({ faults: { garbage: true } });
    try {
      const e = await rejection(providerFor(sim).provider.listGroups());
      assert.equal(e.code, "PROVIDER_BAD_RESPONSE");
      assert.match(e.message, /GET \/firewalls\?per_page=500: 200 with a body that is not JSON: "<html><body><h1>502 Bad Gateway/);
    } finally {
      await sim.closeAndCheck();
    }
  });

  it("fails fast with PROVIDER_UNREACHABLE when nothing listens at the base URL", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const provider = createVultrProvider({ baseUrl: `http://127.0.0.1:${port}/v2`, apiKey: "KEY-unreachable-test", clock: systemClock, redactor: new Redactor() });
    const t0 = Date.now();
    const e = await rejection(provider.listInstances());
    assert.equal(e.code, "PROVIDER_UNREACHABLE");
    assert.match(e.message, new RegExp(`^cannot reach the Vultr API at http://127\\.0\\.0\\.1:${port}/v2: connection refused`));
    assert.ok(e.hint);
    assert.ok(Date.now() - t0 < 1000, "no retries for a refused connection");
  });
});
