import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildChannels } from "../src/alerts/build-channels.ts";
import { alertsConfigSchema } from "../src/alerts/config.ts";
import { createDispatcher } from "../src/alerts/dispatcher.ts";
import type { AlertEvent } from "../src/alerts/event.ts";
import { channelDeps, manualClock, MINUTE, noAbort, T0 } from "../src/alerts/testing/fixtures.ts";
import { HOSTILE_NAMES, hostileEvents } from "../src/alerts/testing/hostile.ts";
import { startReceiver, type Receiver } from "../src/alerts/testing/http-receiver.ts";
import { openSqliteStore } from "../src/store/sqlite/open.ts";

/**
 * Issue 12, item 4: an alert about a node named `узел-1` put the name into the webhook's
 * X-Nodeward-Delivery header, fetch threw, the throw was retried as temporary, and every later
 * alert to that channel (backup-code sign-ins among them) waited behind it for up to 24 h.
 * Real parts: the SQLite outbox in a temp dir, the webhook channel, a real HTTP receiver.
 */
describe("a hostile node name on a webhook channel", () => {
  let dir = "";
  let rx: Receiver;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "nodeward-hostile-"));
    rx = await startReceiver({ status: 204 });
  });
  after(async () => {
    await rx.close();
    await rm(dir, { recursive: true, force: true });
  });

  const backupCode = (at: number): AlertEvent => ({ kind: "backup-code-used", at, user: "admin", remaining: 7, ip: "198.51.100.4" });

  it("delivers the alert and the backup-code alerts queued behind it in the same pass, for every hostile name", async () => {
    const clock = manualClock();
    const config = alertsConfigSchema.parse({ channels: [{ type: "webhook", name: "hook", url: `${rx.origin}/nodeward`, secret: "hook-secret-abcdef123456" }] });
    const store = openSqliteStore(join(dir, "nodeward.db"), { clock });
    try {
      const { channels } = await buildChannels(config, channelDeps({}, clock));
      const lines: string[] = [];
      const dispatcher = createDispatcher({ outbox: store.outbox, channels, clock, maxAgeMs: 24 * 60 * MINUTE, backoff: { random: () => 0 }, logger: (l) => lines.push(l) });
      for (const [i, { what, name }] of HOSTILE_NAMES.entries()) {
        const down = hostileEvents(name)[0] as Extract<AlertEvent, { kind: "down" }>;
        const at = T0 + i * MINUTE;
        clock.set(at);
        await dispatcher.enqueue([{ ...down, at, since: at }]);
        clock.advance(1_000);
        await dispatcher.enqueue([backupCode(at + 1_000), backupCode(at + 2_000)]);
        const seen = rx.requests.length;
        assert.deepEqual(await dispatcher.deliverDue(noAbort()), { sent: 3, failed: 0, dead: 0, deferred: 0 }, `${what}: ${lines.join("\n")}`);
        const kinds = rx.requests.slice(seen).map((r) => (JSON.parse(r.body) as { event: { kind: string } }).event.kind);
        assert.deepEqual(kinds, ["down", "backup-code-used", "backup-code-used"], what);
      }
      assert.equal(await store.outbox.depth(), 0);
    } finally {
      store.close();
    }
  });
});
