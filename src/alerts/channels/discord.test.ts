import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "../../core/errors.ts";
import { alertMessage } from "../render.ts";
import { channelDeps, downEvent, MINUTE, noAbort, recoveredEvent, T0 } from "../testing/fixtures.ts";
import { startReceiver, type Receiver } from "../testing/http-receiver.ts";
import { discord, discordConfigSchema } from "./discord.ts";

const TOKEN = "hT8kq2L0vWbYc5nZ-3xRjP9sAeFgUdKm1oQiN7tVzB4yC6wE_aHl";
const PATH = `/api/webhooks/1234567890123/${TOKEN}`;

describe("discord channel", () => {
  let rx: Receiver;
  beforeEach(async () => {
    rx = await startReceiver({ status: 204 });
  });
  afterEach(async () => {
    await rx.close();
  });

  const make = async (extra: Record<string, unknown> = {}) => {
    const deps = channelDeps({ DISCORD_URL: `${rx.origin}${PATH}` });
    const config = discordConfigSchema.parse({ type: "discord", name: "ops-discord", webhookUrl: { env: "DISCORD_URL" }, ...extra });
    const { channel, warnings } = await discord.create(config, deps);
    return { channel, warnings, deps };
  };

  it("posts one embed with the title, summary, severity colour, fields and event time", async () => {
    const { channel, warnings } = await make();
    assert.deepEqual(warnings, []);
    const msg = alertMessage(downEvent(), T0 + 12 * MINUTE);
    assert.deepEqual(await channel.send(msg, noAbort()), { ok: true });
    assert.equal(rx.requests.length, 1);
    const req = rx.requests[0]!;
    assert.equal(req.method, "POST");
    assert.equal(req.path, PATH);
    assert.equal(req.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(req.body), {
      embeds: [
        {
          title: msg.title,
          description: msg.summary,
          color: 0xed4245,
          fields: msg.fields.map((f) => ({ name: f.label, value: f.value })),
          timestamp: "2025-01-02T14:05:00.000Z",
        },
      ],
    });
    assert.match(msg.title, /^DOWN: sn-ams-1 — EXPIRED in 51 min$/);
  });

  it("puts the mention in content for critical alerts only", async () => {
    const { channel } = await make({ mention: "@here" });
    await channel.send(alertMessage(downEvent(), T0), noAbort());
    await channel.send(alertMessage(recoveredEvent(), T0 + 23 * MINUTE), noAbort());
    const [down, recovered] = rx.requests.map((r) => JSON.parse(r.body) as { content?: string; embeds: { color: number }[] });
    assert.equal(down?.content, "@here");
    assert.equal(recovered?.content, undefined);
    assert.equal(recovered?.embeds[0]?.color, 0x57f287);
  });

  it("retries a 429 after Discord's retry_after, in seconds", async () => {
    const { channel } = await make();
    rx.replies.push({ status: 429, headers: { "content-type": "application/json" }, body: JSON.stringify({ message: "You are being rate limited.", retry_after: 1.5, global: false }) });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.retryable && r.retryAfterMs === 1500, JSON.stringify(r));
  });

  it("does not retry a deleted webhook (404), and never shows its URL or token in the error", async () => {
    const { channel } = await make();
    rx.replies.push({ status: 404, body: JSON.stringify({ message: `Unknown Webhook ${TOKEN} at ${rx.origin}${PATH}`, code: 10015 }) });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && !r.retryable, JSON.stringify(r));
    assert.match(r.error, /^Discord answered HTTP 404: .*Unknown Webhook/);
    assert.ok(!r.error.includes(TOKEN) && !r.error.includes(PATH), r.error);
  });

  it("retries a 502 from Discord", async () => {
    const { channel } = await make();
    rx.replies.push({ status: 502, body: "bad gateway" });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && r.retryable, JSON.stringify(r));
  });

  it("refuses to start when the webhook variable is unset, naming the channel", async () => {
    const config = discordConfigSchema.parse({ type: "discord", name: "ops-discord", webhookUrl: { env: "NOPE" } });
    await assert.rejects(discord.create(config, channelDeps({})), (e: unknown) => e instanceof AppError && e.code === "SECRET_MISSING" && /ops-discord/.test(e.message));
  });

  it("refuses a webhook that is not a URL without echoing it", async () => {
    const config = discordConfigSchema.parse({ type: "discord", name: "ops-discord", webhookUrl: "not-a-url-but-secret-value" });
    await assert.rejects(
      discord.create(config, channelDeps({})),
      (e: unknown) => e instanceof AppError && e.code === "CONFIG_INVALID" && /ops-discord/.test(e.message) && !e.message.includes("secret-value"),
    );
  });

  it("warns when the webhook host is not Discord", async () => {
    const config = discordConfigSchema.parse({ type: "discord", name: "d", webhookUrl: "https://hooks.example.com/api/webhooks/1/abcdefghijklmnopqrstuvwxyz" });
    const { warnings } = await discord.create(config, channelDeps({}));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /hooks\.example\.com, not discord\.com/);
  });

  it("rejects unknown keys in its config", () => {
    const r = discordConfigSchema.safeParse({ type: "discord", name: "d", webhookUrl: "https://discord.com/x", webhook: "typo" });
    assert.equal(r.success, false);
  });
});
