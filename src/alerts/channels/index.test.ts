import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { z } from "zod";
import { alertsConfigSchema } from "../config.ts";
import { channelTypes, findChannelType } from "./index.ts";

describe("channel registry", () => {
  it("lists each channel type once, by a stable lower-case id", () => {
    const ids = channelTypes.map((c) => c.type);
    assert.deepEqual(ids, ["discord", "telegram", "slack", "webhook", "email"]);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z][a-z0-9-]*$/);
  });

  for (const c of channelTypes) {
    it(`gives ${c.type} docs with a paragraph, a key table and an example that validates`, () => {
      assert.ok(c.docs.startsWith(`### ${c.type}\n\n`), c.docs.slice(0, 40));
      assert.ok(c.docs.split("\n")[2]!.length > 200, "a real paragraph");
      for (const key of ["type", "name", "events"]) assert.ok(c.docs.includes(`| \`${key}\` |`), `${c.type} docs lack ${key}`);
      const yaml = /```yaml\n([\s\S]*?)```/.exec(c.docs)?.[1];
      const parsed = alertsConfigSchema.safeParse(parse(yaml ?? ""));
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
      assert.equal(parsed.data.channels[0]?.type, c.type);
    });

    it(`gives ${c.type} a strict schema keyed by its id, that requires a name`, () => {
      const json = z.toJSONSchema(c.configSchema, { io: "input" }) as { properties: Record<string, { const?: unknown }>; required: string[]; additionalProperties: unknown };
      assert.equal(json.properties.type?.const, c.type);
      assert.ok(json.required.includes("name") && json.required.includes("type"));
      assert.equal(json.additionalProperties, false);
      assert.equal(findChannelType(c.type), c);
    });
  }
});
