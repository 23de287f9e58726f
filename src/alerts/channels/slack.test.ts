import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { alertMessage } from "../render.ts";
import { channelDeps, downEvent, MINUTE, noAbort, recoveredEvent, T0 } from "../testing/fixtures.ts";
import { startReceiver, type Receiver } from "../testing/http-receiver.ts";
import { slack, slackConfigSchema } from "./slack.ts";

const PATH = "/services/T0123ABCD/B0456EFGH/q8Zr3VtYw1XkLm5NbP7sDj2H";

describe("slack channel", () => {
  let rx: Receiver;
  beforeEach(async () => {
    rx = await startReceiver({ status: 200, headers: { "content-type": "text/plain" }, body: "ok" });
  });
  afterEach(async () => {
    await rx.close();
  });

  const make = async (extra: Record<string, unknown> = {}) => {
    const config = slackConfigSchema.parse({ type: "slack", name: "ops-slack", webhookUrl: { env: "SLACK_URL" }, ...extra });
    return slack.create(config, channelDeps({ SLACK_URL: `${rx.origin}${PATH}` }));
  };

  it("posts text plus header, summary and field blocks as Slack's incoming webhook expects", async () => {
    const { channel, warnings } = await make();
    assert.deepEqual(warnings, []);
    const msg = alertMessage(downEvent(), T0 + 12 * MINUTE);
    assert.deepEqual(await channel.send(msg, noAbort()), { ok: true });
    const req = rx.requests[0]!;
    assert.equal(req.method, "POST");
    assert.equal(req.path, PATH);
    assert.equal(req.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(req.body), {
      text: `${msg.title}\n\n${msg.text}`,
      blocks: [
        { type: "header", text: { type: "plain_text", text: `:red_circle: ${msg.title}`, emoji: true } },
        { type: "section", text: { type: "mrkdwn", text: msg.summary } },
        { type: "section", fields: msg.fields.map((f) => ({ type: "mrkdwn", text: `*${f.label}*\n${f.value}` })) },
      ],
    });
  });

  it("sends only text when blocks are off, with <, > and & escaped", async () => {
    const { channel } = await make({ blocks: false });
    const e = recoveredEvent();
    const msg = alertMessage({ ...e, node: { id: "i", name: "a<b>&c", address: "10.0.0.1" } } as typeof e, T0 + 23 * MINUTE);
    await channel.send(msg, noAbort());
    const body = JSON.parse(rx.requests[0]!.body) as { text: string; blocks?: unknown };
    assert.equal(body.blocks, undefined);
    assert.match(body.text, /^RECOVERED: a&lt;b&gt;&amp;c after 23 min/);
  });

  it("retries a 429 after Retry-After", async () => {
    const { channel } = await make();
    rx.replies.push({ status: 429, headers: { "retry-after": "30" }, body: "rate_limited" });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && r.retryable && r.retryAfterMs === 30_000, JSON.stringify(r));
  });

  it("does not retry an archived channel (410) and never shows the webhook path", async () => {
    const { channel } = await make();
    rx.replies.push({ status: 410, body: `channel_is_archived for ${PATH}` });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && !r.retryable, JSON.stringify(r));
    assert.match(r.error, /^Slack answered HTTP 410: channel_is_archived/);
    assert.ok(!r.error.includes("q8Zr3VtYw1XkLm5NbP7sDj2H"), r.error);
  });

  it("retries Slack's 500 rollup_error", async () => {
    const { channel } = await make();
    rx.replies.push({ status: 500, body: "rollup_error" });
    const r = await channel.send(alertMessage(downEvent(), T0), noAbort());
    assert.ok(!r.ok && r.retryable, JSON.stringify(r));
  });

  it("warns when blocks go to a host that is not Slack", async () => {
    const config = slackConfigSchema.parse({ type: "slack", name: "mm", webhookUrl: "https://chat.example.org/hooks/abcdefghijklmnopqrstuvwx" });
    const { warnings } = await slack.create(config, channelDeps({}));
    assert.match(warnings.join("\n"), /not hooks\.slack\.com: .*blocks: false/);
  });
});
