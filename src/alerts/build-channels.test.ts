import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "../core/errors.ts";
import { buildChannels } from "./build-channels.ts";
import { alertsConfigSchema } from "./config.ts";
import { channelDeps } from "./testing/fixtures.ts";

const TOKEN = "7012345678:AAHk3xQp9ZrT2vLm8NwB5cYd1eFgJhKs4Uo";
const TG = { type: "telegram", name: "ops-tg", botToken: { env: "TG_TOKEN" }, chatId: -100123 };
const SLACK = { type: "slack", name: "ops-slack", webhookUrl: { env: "SLACK_URL" } };
const ENV = { TG_TOKEN: TOKEN, SLACK_URL: "https://hooks.slack.com/services/T0/B0/abcdefghijklmnopqrstuvwx" };

const build = (input: unknown, env: Record<string, string> = ENV) => buildChannels(alertsConfigSchema.parse(input), channelDeps(env));

describe("buildChannels", () => {
  it("starts every channel with its event filter, and registers its secrets for redaction", async () => {
    const deps = channelDeps(ENV);
    const { channels, warnings } = await buildChannels(alertsConfigSchema.parse({ channels: [TG, { ...SLACK, events: ["down", "recovered"] }] }), deps);
    assert.deepEqual(channels.map((c) => [c.sender.name, c.sender.type, c.events]), [
      ["ops-tg", "telegram", null],
      ["ops-slack", "slack", ["down", "recovered"]],
    ]);
    assert.deepEqual(warnings, []);
    assert.equal(deps.redactor.redact(`x ${TOKEN} ${ENV.SLACK_URL}`), "x [REDACTED] [REDACTED]");
  });

  it("warns, and starts nothing, when no channel is configured", async () => {
    const { channels, warnings } = await build({});
    assert.deepEqual(channels, []);
    assert.match(warnings[0] ?? "", /^no alert channel is configured: .*nodeward alerts test/);
  });

  it("warns when no channel takes recovered alerts", async () => {
    const { warnings } = await build({ channels: [{ ...TG, events: ["down", "escalation"] }] });
    assert.deepEqual(warnings, ['no alert channel takes "recovered" alerts (see each channel\'s events)']);
  });

  it("stops start-up, naming the channel, when its secret cannot be resolved", async () => {
    await assert.rejects(build({ channels: [TG, SLACK] }, { TG_TOKEN: TOKEN }), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, "SECRET_MISSING");
      assert.match(e.message, /alert channel "ops-slack" \(slack\) webhookUrl: environment variable SLACK_URL is not set/);
      return true;
    });
  });

  it("names every channel that cannot start, not just the first", async () => {
    await assert.rejects(build({ channels: [TG, SLACK] }, {}), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.match(e.message, /^2 alert channels cannot start: .*"ops-tg".*; .*"ops-slack"/);
      assert.match(e.hint ?? "", /nodeward does not watch with a broken alert channel/);
      return true;
    });
  });

  it("stops start-up on a setting that would make every send fail, without echoing the secret", async () => {
    await assert.rejects(build({ channels: [TG] }, { TG_TOKEN: "not-a-bot-token-xyz" }), (e: unknown) => {
      assert.ok(e instanceof AppError && e.code === "CONFIG_INVALID");
      assert.match(e.message, /"ops-tg" \(telegram\) botToken does not look like a bot token/);
      assert.ok(!e.message.includes("not-a-bot-token-xyz"));
      return true;
    });
  });
});
