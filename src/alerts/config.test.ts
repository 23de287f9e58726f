import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { alertsConfigSchema } from "./config.ts";

const TG = { type: "telegram", name: "ops-tg", botToken: { env: "TG" }, chatId: -100123 };

describe("alertsConfigSchema", () => {
  it("defaults to no channels and a day of retries", () => {
    assert.deepEqual(alertsConfigSchema.parse({}), { channels: [], retry: { maxAgeMinutes: 1440 } });
  });

  it("applies each channel type's defaults", () => {
    const c = alertsConfigSchema.parse({ channels: [TG, { type: "slack", name: "s", webhookUrl: { env: "S" }, events: ["down", "recovered"] }] });
    assert.equal(c.channels[0]?.type === "telegram" && c.channels[0].apiBase, "https://api.telegram.org");
    assert.deepEqual(c.channels[1], { type: "slack", name: "s", webhookUrl: { env: "S" }, events: ["down", "recovered"], blocks: true });
  });

  const errors: { name: string; input: unknown; path: string; message: RegExp }[] = [
    { name: "an unknown channel type, listing the known ones", input: { channels: [{ type: "pagerduty", name: "p" }] }, path: "channels.0.type", message: /unknown channel type "pagerduty"; known types: discord, telegram, slack, webhook, email/ },
    { name: "a duplicate name", input: { channels: [TG, { ...TG, chatId: 5 }] }, path: "channels.1.name", message: /"ops-tg" is already used by channels\[0\]/ },
    { name: "a typo in a channel key", input: { channels: [{ ...TG, chatid: 1 }] }, path: "channels.0", message: /chatid/ },
    { name: "an unknown event kind", input: { channels: [{ ...TG, events: ["downn"] }] }, path: "channels.0.events.0", message: /./ },
    { name: "an empty events list", input: { channels: [{ ...TG, events: [] }] }, path: "channels.0.events", message: /sends nothing/ },
    { name: "a name with spaces", input: { channels: [{ ...TG, name: "ops tg" }] }, path: "channels.0.name", message: /not a channel name/ },
    { name: "a retry age under ten minutes", input: { retry: { maxAgeMinutes: 1 } }, path: "retry.maxAgeMinutes", message: /./ },
    { name: "a routes key (every alert goes to every channel)", input: { routes: [] }, path: "", message: /routes/ },
  ];
  for (const c of errors) {
    it(`rejects ${c.name}, at its path`, () => {
      const r = alertsConfigSchema.safeParse(c.input);
      assert.equal(r.success, false);
      const issue = r.error?.issues.find((i) => i.path.join(".") === c.path);
      assert.ok(issue, JSON.stringify(r.error?.issues));
      assert.match(issue.message, c.message);
    });
  }

  it("turns into a JSON Schema for editors", () => {
    const json = JSON.stringify(z.toJSONSchema(alertsConfigSchema, { io: "input", target: "draft-07" }));
    for (const id of ["discord", "telegram", "slack", "webhook", "email"]) assert.ok(json.includes(`"const":"${id}"`));
  });
});
