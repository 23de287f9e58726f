import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { alertMessage } from "../render.ts";
import { channelDeps, downEvent, manualClock, MINUTE, noAbort, T0 } from "../testing/fixtures.ts";
import { startReceiver, type Receiver } from "../testing/http-receiver.ts";
import { AppError } from "../../core/errors.ts";
import { deliveryHeader, webhook, webhookConfigSchema } from "./webhook.ts";

const SECRET = "whsec_4f9c2a7e1b8d3f6a0c5e9b2d7f1a4c8e";
const AUTH = "Bearer sk-live-9XbQ2mL7vR4tY8wK1pZ6";

describe("webhook channel", () => {
  let rx: Receiver;
  beforeEach(async () => {
    rx = await startReceiver({ status: 202 });
  });
  afterEach(async () => {
    await rx.close();
  });

  const make = async (extra: Record<string, unknown> = {}) => {
    const clock = manualClock(T0 + 12 * MINUTE + 345);
    const config = webhookConfigSchema.parse({
      type: "webhook",
      name: "pager",
      url: `${rx.origin}/hooks/nodeward?src=watch`,
      secret: { env: "HOOK_SECRET" },
      headers: { Authorization: { env: "HOOK_AUTH" } },
      ...extra,
    });
    return webhook.create(config, channelDeps({ HOOK_SECRET: SECRET, HOOK_AUTH: AUTH }, clock));
  };

  it("posts the event and the rendered text, signed over the raw body, with the extra headers", async () => {
    const { channel, warnings } = await make();
    assert.deepEqual(warnings, []);
    const event = downEvent();
    const msg = alertMessage(event, T0 + 12 * MINUTE);
    assert.deepEqual(await channel.send(msg, noAbort()), { ok: true });
    const req = rx.requests[0]!;
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/hooks/nodeward?src=watch");
    assert.equal(req.headers["content-type"], "application/json");
    assert.equal(req.headers["authorization"], AUTH);
    assert.equal(req.headers["x-nodeward-event"], "down");
    assert.equal(req.headers["x-nodeward-delivery"], "inc-1:down");
    assert.equal(req.headers["x-nodeward-timestamp"], String(Math.floor((T0 + 12 * MINUTE) / 1000)));
    const expected = `sha256=${createHmac("sha256", SECRET).update(req.body).digest("hex")}`;
    const got = String(req.headers["x-nodeward-signature"]);
    assert.ok(got.length === expected.length && timingSafeEqual(Buffer.from(got), Buffer.from(expected)), got);
    assert.deepEqual(JSON.parse(req.body), {
      version: 1,
      id: "inc-1:down",
      possibleDuplicate: false,
      channel: "pager",
      sentAt: "2025-01-02T14:17:00.345Z",
      event,
      title: msg.title,
      text: msg.text,
      severity: "critical",
      fields: msg.fields,
    });
  });

  it("sends no signature and warns when no secret is configured", async () => {
    const { channel, warnings } = await make({ secret: undefined });
    assert.match(warnings.join("\n"), /"pager" \(webhook\) has no secret/);
    await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.equal(rx.requests[0]!.headers["x-nodeward-signature"], undefined);
  });

  it("does not retry a 401 and never shows the secret, the auth header or the URL token in the error", async () => {
    const config = webhookConfigSchema.parse({ type: "webhook", name: "pager", url: `${rx.origin}/t/9f3b7c1e5a2d8f4b6c0e`, secret: SECRET, headers: { Authorization: AUTH } });
    const { channel } = await webhook.create(config, channelDeps({}));
    rx.replies.push({ status: 401, body: `bad signature for ${SECRET}; got ${AUTH} on /t/9f3b7c1e5a2d8f4b6c0e` });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && !r.retryable, JSON.stringify(r));
    assert.match(r.error, /^Webhook answered HTTP 401: bad signature/);
    for (const s of [SECRET, "sk-live-9XbQ2mL7vR4tY8wK1pZ6", "9f3b7c1e5a2d8f4b6c0e"]) assert.ok(!r.error.includes(s), r.error);
  });

  it("treats a redirect as a configuration error, not something to retry", async () => {
    const { channel } = await make();
    rx.replies.push({ status: 301, headers: { location: "https://elsewhere.example/" } });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && !r.retryable && /redirected/.test(r.error), JSON.stringify(r));
  });

  it("percent-encodes the delivery id to ASCII, and hashes one too long for a header", () => {
    assert.equal(deliveryHeader("inc-1:down"), "inc-1:down");
    assert.equal(deliveryHeader("host:узел-1@1735826700000:down"), "host:%D1%83%D0%B7%D0%B5%D0%BB-1@1735826700000:down");
    assert.equal(decodeURIComponent(deliveryHeader("host:a b%\r\n\u0000🚀@1:down")), "host:a b%\r\n\u0000🚀@1:down");
    assert.match(deliveryHeader(`host:${"n".repeat(10_240)}@1:down`), /^sha256-[0-9a-f]{64}$/);
  });

  it("refuses at start-up an extra header value HTTP cannot send, without showing the value", async () => {
    for (const value of ["Bearer abc\r\nX-Evil: 1", "Bearer ключ-1234"]) {
      const config = webhookConfigSchema.parse({ type: "webhook", name: "pager", url: `${rx.origin}/h`, secret: SECRET, headers: { Authorization: value } });
      await assert.rejects(webhook.create(config, channelDeps({})), (e: unknown) => {
        assert.ok(e instanceof AppError && e.code === "CONFIG_INVALID", String(e));
        assert.match(e.message, /"pager" \(webhook\) header Authorization holds a line break/);
        assert.ok(!e.message.includes(value) && !e.message.includes("ключ"), e.message);
        return true;
      });
    }
  });

  it("refuses headers nodeward sets itself", () => {
    const r = webhookConfigSchema.safeParse({ type: "webhook", name: "p", url: "https://x.example/", headers: { "X-Nodeward-Signature": "forged" } });
    assert.equal(r.success, false);
  });
});
