import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "../core/errors.ts";
import { sendTestAlert } from "./test-send.ts";
import { manualClock, T0 } from "./testing/fixtures.ts";
import { routed, scriptedSender } from "./testing/scripted-sender.ts";

describe("sendTestAlert", () => {
  it("sends a test alert to every channel, whatever their event filters, and reports each outcome", async () => {
    const a = scriptedSender("a");
    const b = scriptedSender("b");
    b.answers.push({ ok: false, retryable: false, error: "Telegram answered HTTP 401: Unauthorized" });
    const results = await sendTestAlert([routed(a, ["down"]), routed(b)], undefined, { clock: manualClock() });
    assert.deepEqual(results, [
      { channel: "a", type: "scripted", result: { ok: true }, ms: 0 },
      { channel: "b", type: "scripted", result: { ok: false, retryable: false, error: "Telegram answered HTTP 401: Unauthorized" }, ms: 0 },
    ]);
    assert.deepEqual(a.sent[0]!.event, { kind: "test", at: T0, channel: "a" });
    assert.equal(a.sent[0]!.title, "Test alert from nodeward (a)");
    assert.equal(b.sent[0]!.severity, "info");
  });

  it("sends only to the named channel", async () => {
    const a = scriptedSender("a");
    const b = scriptedSender("b");
    const results = await sendTestAlert([routed(a), routed(b)], "b", { clock: manualClock() });
    assert.deepEqual(results.map((r) => r.channel), ["b"]);
    assert.equal(a.sent.length, 0);
  });

  it("reports a channel that does not answer in time as a failure", async () => {
    const a = scriptedSender("a");
    a.answers.push("wait");
    const [r] = await sendTestAlert([routed(a)], "a", { clock: manualClock(), timeoutMs: 30 });
    assert.deepEqual(r?.result, { ok: false, retryable: true, error: "no answer within the send timeout" });
  });

  it("names the configured channels when the name is unknown, and says when there are none", async () => {
    await assert.rejects(sendTestAlert([routed(scriptedSender("ops-tg"))], "ops"), (e: unknown) => e instanceof AppError && e.code === "USAGE" && /configured: ops-tg/.test(e.message));
    await assert.rejects(sendTestAlert([]), (e: unknown) => e instanceof AppError && /no alert channel is configured/.test(e.message));
  });
});
