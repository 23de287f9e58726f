import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfigText } from "./load.ts";
import { BASE_CONFIG as BASE } from "../../test/helpers/config.ts";

/** Which keys of a valid file hold a secret written inline (the keys, never the values). */
describe("inline secrets in the config", () => {
  const cases: [string, string, string[]][] = [
    ["none without alert channels", "", []],
    ["none when every secret is {env} or {file}", `alerts:\n  channels:\n    - {type: webhook, name: w, url: {env: W}, secret: {file: /etc/w}, headers: {Authorization: {env: A}}}\n`, []],
    [
      "each inline secret of a webhook, including a header value",
      `alerts:\n  channels:\n    - type: webhook\n      name: w\n      url: https://hooks.example.com/T0k3n\n      secret: s3cr3t-s1gn\n      headers:\n        Authorization: Bearer abc\n        X-Team: {env: T}\n`,
      ["alerts.channels[0].url", "alerts.channels[0].secret", "alerts.channels[0].headers.Authorization"],
    ],
    [
      "the bot token, the webhook URLs and the SMTP password",
      `alerts:\n  channels:\n    - {type: telegram, name: t, botToken: "123:AAx", chatId: 1}\n    - {type: discord, name: d, webhookUrl: "https://discord.com/api/webhooks/1/x"}\n` +
        `    - {type: slack, name: s, webhookUrl: {env: S}}\n    - {type: email, name: m, host: smtp.example.com, auth: {user: me, password: hunter22}, from: a@example.com, to: [a@example.com]}\n`,
      ["alerts.channels[0].botToken", "alerts.channels[1].webhookUrl", "alerts.channels[3].auth.password"],
    ],
  ];
  for (const [name, extra, paths] of cases) {
    it(`lists ${name}`, () => {
      const parsed = parseConfigText(BASE + extra, "nodeward.yaml");
      assert.deepEqual(parsed.inlineSecrets.map((s) => s.path), paths);
      for (const s of parsed.inlineSecrets) assert.ok(s.line > 5, `${s.path} has its line`);
    });
  }
});
