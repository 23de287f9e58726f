import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { parseConfigText } from "../../config/load.ts";
import { systemClock } from "../../core/clock.ts";
import { createLogger } from "../../core/logger.ts";
import { Redactor } from "../../core/redact.ts";
import { openMemoryStore } from "../../store/memory/open.ts";
import type { WatchEngine } from "../../watch/engine.ts";
import { SMARTCASH_EXPIRY } from "../../watch/reward-clock.ts";
import { composeDashboard } from "./dashboard.ts";

function compose(host: string, dashboard = "") {
  const lines: string[] = [];
  const log = createLogger({ level: "info", pretty: false, redactor: new Redactor(), out: new Writable({ write: (c: Buffer, _e, cb) => (lines.push(c.toString()), cb()) }) });
  const { config } = parseConfigText(`version: 1\ncoin: smartcash\nnodes: { tags: [x] }\nwatch: { listen: "${host.includes(":") ? `[${host}]` : host}:9797" }\n${dashboard}`, "nodeward.yaml");
  const parts = composeDashboard({ config, clock: systemClock, log, engine: {} as WatchEngine, stores: openMemoryStore(), expiry: SMARTCASH_EXPIRY, alerts: { enqueue: async () => 0 }, auth: undefined, databasePath: undefined, host });
  parts.close();
  return { parts, warned: lines.some((l) => /plain HTTP beyond loopback/.test(l)) };
}

describe("the dashboard in the daemon", () => {
  it("warns when served beyond loopback without a TLS proxy, and not on loopback or behind one", () => {
    assert.equal(compose("0.0.0.0").warned, true);
    assert.equal(compose("203.0.113.4").warned, true);
    assert.equal(compose("127.0.0.1").warned, false);
    assert.equal(compose("::1").warned, false);
    assert.equal(compose("0.0.0.0", "dashboard: { trustProxy: true }").warned, false);
  });

  it("is off when disabled", () => {
    assert.equal(compose("127.0.0.1", "dashboard: { enabled: false }").parts.extra, undefined);
    assert.notEqual(compose("127.0.0.1").parts.extra, undefined);
  });
});
