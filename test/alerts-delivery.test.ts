import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildChannels } from "../src/alerts/build-channels.ts";
import { alertsConfigSchema } from "../src/alerts/config.ts";
import { createDispatcher } from "../src/alerts/dispatcher.ts";
import { channelDeps, downEvent, manualClock, MINUTE, noAbort, recoveredEvent } from "../src/alerts/testing/fixtures.ts";
import { startReceiver, type Receiver } from "../src/alerts/testing/http-receiver.ts";
import { startSmtpReceiver, type SmtpReceiver } from "../src/alerts/testing/smtp-receiver.ts";
import { openSqliteStore } from "../src/store/sqlite/open.ts";

/**
 * The whole path on real parts: config → channels (a signed webhook and e-mail) → the SQLite
 * outbox in a temp dir → a real HTTP receiver and a real SMTP server, across a restart.
 */
describe("alert delivery through the SQLite outbox", () => {
  let dir = "";
  let rx: Receiver;
  let smtp: SmtpReceiver;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "nodeward-alerts-"));
    rx = await startReceiver({ status: 200 });
    smtp = await startSmtpReceiver({ user: "alerts", pass: "smtp-pass-7f3k2" });
  });
  after(async () => {
    await rx.close();
    await smtp.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("retries, delivers each alert once per channel in order, and sends nothing twice after a restart", async () => {
    const clock = manualClock();
    const config = alertsConfigSchema.parse({
      channels: [
        { type: "webhook", name: "hook", url: `${rx.origin}/nodeward`, secret: { env: "HOOK_SECRET" } },
        { type: "email", name: "mail", host: "127.0.0.1", port: smtp.port, security: "none", auth: { user: "alerts", password: { env: "SMTP_PW" } }, from: "alerts@example.com", to: ["op@example.com"] },
      ],
      retry: { maxAgeMinutes: 60 },
    });
    const env = { HOOK_SECRET: "hook-secret-abcdef123456", SMTP_PW: "smtp-pass-7f3k2" };
    const start = async () => {
      const store = openSqliteStore(join(dir, "nodeward.db"), { clock });
      const { channels } = await buildChannels(config, channelDeps(env, clock));
      const dispatcher = createDispatcher({ outbox: store.outbox, channels, clock, maxAgeMs: config.retry.maxAgeMinutes * MINUTE, backoff: { random: () => 0 } });
      return { store, dispatcher };
    };

    const first = await start();
    rx.replies.push({ status: 503, body: "restarting" });
    assert.equal(await first.dispatcher.enqueue([downEvent()]), 2);
    assert.deepEqual(await first.dispatcher.deliverDue(noAbort()), { sent: 1, failed: 1, dead: 0, deferred: 0 });
    clock.advance(8_000);
    assert.deepEqual(await first.dispatcher.deliverDue(noAbort()), { sent: 1, failed: 0, dead: 0, deferred: 0 });
    first.store.close();

    clock.advance(15 * MINUTE);
    const second = await start();
    assert.equal(await second.dispatcher.enqueue([downEvent(), recoveredEvent()]), 2, "only the recovery is new");
    assert.deepEqual(await second.dispatcher.flush(5_000), { sent: 2, failed: 0, dead: 0, deferred: 0, remaining: 0 });
    second.store.close();

    const kinds = rx.requests.map((r) => (JSON.parse(r.body) as { event: { kind: string } }).event.kind);
    assert.deepEqual(kinds, ["down", "down", "recovered"], "the 503 attempt, its retry, then the recovery");
    assert.deepEqual(smtp.mails.map((m) => m.headers.get("subject")), ["DOWN: sn-ams-1 — EXPIRED in 63 min", "RECOVERED: sn-ams-1 after 23 min"]);
  });
});
