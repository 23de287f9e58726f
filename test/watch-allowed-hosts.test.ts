import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { startWatch } from "../src/cli/watch/compose.ts";
import { parseConfigText } from "../src/config/load.ts";
import { systemClock } from "../src/core/clock.ts";
import { createLogger } from "../src/core/logger.ts";
import { Redactor } from "../src/core/redact.ts";
import { createVultrProvider } from "../src/providers/vultr/adapter.ts";
import { openMemoryStore } from "../src/store/memory/open.ts";
import { send } from "../src/web/burst.test-support.ts";
import { withCheckedSim } from "./helpers/sim.ts";

/** `watch.allowedHosts` and `dashboard.trustProxy` from nodeward.yaml reach the daemon's HTTP server. */
describe("the daemon's Host check, from the config file", () => {
  it("answers for the configured name and refuses others, the forwarded host too behind a trusted proxy", async () => {
    await withCheckedSim({ rateLimitPerSecond: false }, async (sim) => {
      const { config } = parseConfigText(
        `version: 1
provider: { type: vultr, baseUrl: "${sim.url}" }
coin: smartcash
nodes: { tags: [smartnode] }
watch: { listen: "127.0.0.1:0", allowedHosts: [Nodes.Example] }
dashboard: { trustProxy: true }
`,
        "nodeward.yaml",
      );
      const redactor = new Redactor();
      const log = createLogger({ level: "warn", pretty: false, redactor, out: new Writable({ write: (_c, _e, cb) => cb() }) });
      const provider = createVultrProvider({ baseUrl: sim.url, apiKey: sim.apiKey, maxRequestsPerSecond: 100, timeoutMs: 5000, clock: systemClock, redactor });
      const watch = await startWatch({ config, provider, clock: systemClock, log, redactor, env: { VULTR_API_KEY: sim.apiKey }, stores: openMemoryStore() });
      try {
        await watch.ready;
        for (const path of ["/healthz", "/metrics", "/login"]) {
          assert.equal((await send(watch.url, { path })).status, 200, `${path} at the listen address`);
          assert.equal((await send(watch.url, { path, host: "nodes.example" })).status, 200, `${path} as nodes.example`);
          assert.equal((await send(watch.url, { path, host: "evil.example" })).status, 421, `${path} as evil.example`);
          assert.equal((await send(watch.url, { path, headers: { "x-forwarded-host": "evil.example" } })).status, 421, `${path} forwarded for evil.example`);
        }
      } finally {
        await watch.stop();
      }
    });
  });
});
