import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "../../core/errors.ts";
import { alertMessage } from "../render.ts";
import { channelDeps, downEvent, MINUTE, noAbort, T0 } from "../testing/fixtures.ts";
import { startReceiver, type Receiver } from "../testing/http-receiver.ts";
import { telegram, telegramConfigSchema } from "./telegram.ts";

const TOKEN = "7012345678:AAHk3xQp9ZrT2vLm8NwB5cYd1eFgJhKs4Uo";
const OK = { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ ok: true, result: { message_id: 1 } }) };

describe("telegram channel", () => {
  let rx: Receiver;
  beforeEach(async () => {
    rx = await startReceiver(OK);
  });
  afterEach(async () => {
    await rx.close();
  });

  const make = async (extra: Record<string, unknown> = {}) => {
    const config = telegramConfigSchema.parse({ type: "telegram", name: "ops-tg", botToken: { env: "TG_TOKEN" }, chatId: -1001234567890, apiBase: `${rx.origin}/`, ...extra });
    return telegram.create(config, channelDeps({ TG_TOKEN: TOKEN }));
  };

  it("posts sendMessage to /bot<token>/ with chat_id, HTML text and no link previews", async () => {
    const { channel, warnings } = await make();
    assert.deepEqual(warnings, []);
    const msg = alertMessage(
      { kind: "firewall-blocks", at: T0, node: { id: "i", name: "sn<1>", address: "203.0.113.7" }, incidentId: "inc-9", detail: "TCP 8080 & 9678", clock: { lastGoodAt: T0, expiresAt: T0 + 65 * MINUTE, newStartAt: T0 + 120 * MINUTE } },
      T0,
    );
    assert.deepEqual(await channel.send(msg, noAbort()), { ok: true });
    const req = rx.requests[0]!;
    assert.equal(req.method, "POST");
    assert.equal(req.path, `/bot${TOKEN}/sendMessage`);
    assert.equal(req.headers["content-type"], "application/json");
    const body = JSON.parse(req.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ["chat_id", "disable_web_page_preview", "parse_mode", "text"]);
    assert.equal(body.chat_id, -1001234567890);
    assert.equal(body.parse_mode, "HTML");
    assert.equal(body.disable_web_page_preview, true);
    const text = body.text as string;
    assert.ok(text.startsWith("<b>FIREWALL BLOCKS: sn&lt;1&gt; — EXPIRED in 65 min</b>\n\n"), text);
    assert.match(text, /TCP 8080 &amp; 9678/);
    assert.match(text, /<code>nodeward firewall apply<\/code>/);
    assert.ok(!text.includes("<1>"));
  });

  it("sends to a forum topic when threadId is set", async () => {
    const { channel } = await make({ chatId: "@nodeward_ops", threadId: 42 });
    await channel.send(alertMessage(downEvent(), T0), noAbort());
    const body = JSON.parse(rx.requests[0]!.body) as Record<string, unknown>;
    assert.equal(body.chat_id, "@nodeward_ops");
    assert.equal(body.message_thread_id, 42);
  });

  it("retries a 429 after parameters.retry_after", async () => {
    const { channel } = await make();
    rx.replies.push({ status: 429, body: JSON.stringify({ ok: false, error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } }) });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && r.retryable && r.retryAfterMs === 7000, JSON.stringify(r));
  });

  it("does not retry a chat the bot is not in, shows Telegram's reason, and never the token", async () => {
    const { channel } = await make();
    rx.replies.push({ status: 400, body: JSON.stringify({ ok: false, error_code: 400, description: `Bad Request: chat not found (bot${TOKEN})` }) });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && !r.retryable, JSON.stringify(r));
    assert.match(r.error, /^Telegram answered HTTP 400: .*chat not found/);
    assert.ok(!r.error.includes(TOKEN) && !r.error.includes("AAHk3xQp9ZrT2vLm8NwB5cYd1eFgJhKs4Uo"), r.error);
  });

  it("never shows the token when the API is unreachable", async () => {
    const { channel } = await make();
    await rx.close();
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && r.retryable, JSON.stringify(r));
    assert.match(r.error, /^Telegram: unreachable \(ECONNREFUSED\)$/);
    rx = await startReceiver(OK);
  });

  it("refuses a token that is not a bot token, naming the channel and not the value", async () => {
    const config = telegramConfigSchema.parse({ type: "telegram", name: "ops-tg", botToken: "definitely-not-a-token", chatId: 1 });
    await assert.rejects(
      telegram.create(config, channelDeps({})),
      (e: unknown) => e instanceof AppError && e.code === "CONFIG_INVALID" && e.message.includes('"ops-tg"') && !e.message.includes("definitely"),
    );
  });

  it("defaults to the public Bot API and rejects a malformed chat id", () => {
    const ok = telegramConfigSchema.parse({ type: "telegram", name: "t", botToken: TOKEN, chatId: "-100123" });
    assert.equal(ok.apiBase, "https://api.telegram.org");
    assert.equal(telegramConfigSchema.safeParse({ type: "telegram", name: "t", botToken: TOKEN, chatId: "my group" }).success, false);
  });
});
