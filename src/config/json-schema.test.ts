import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";
import { starterConfig } from "./init.ts";
import { CONFIG_SCHEMA_FILE, configJsonSchema, configJsonSchemaText } from "./json-schema.ts";

const committed = new URL(`../../${CONFIG_SCHEMA_FILE}`, import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(configJsonSchema());
}

describe("the editor JSON Schema", () => {
  it("is committed exactly as generated (run `npm run schema` after changing schema.ts)", async () => {
    assert.equal(await readFile(committed, "utf8"), configJsonSchemaText());
  });

  it("has an id, a title and a description on every property", () => {
    const schema = configJsonSchema();
    assert.equal(schema["$id"], "urn:nodeward:config:v1");
    assert.equal(schema["title"], "nodeward.yaml");
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== "object" || node === null) return;
      const props = (node as { properties?: Record<string, unknown> }).properties;
      for (const [key, child] of Object.entries(props ?? {})) {
        if (typeof (child as { description?: unknown }).description !== "string") undescribed.push(`${path}${key}`);
      }
      for (const [key, child] of Object.entries(node)) walk(child, key === "properties" ? path : `${path}${key}/`);
    };
    walk(schema, "");
    assert.deepEqual(undescribed, []);
  });

  it("accepts the starter file and a minimal one, leaving defaulted keys optional", () => {
    const validate = validator();
    assert.ok(validate(parse(starterConfig())), JSON.stringify(validate.errors));
    assert.ok(validate({ version: 1, coin: "smartcash", nodes: { tags: ["smartnode"] } }), JSON.stringify(validate.errors));
  });

  it("rejects unknown keys and unknown coins, as an editor should", () => {
    const validate = validator();
    assert.equal(validate({ version: 1, coin: "smartcash", nodes: { tags: ["a"] }, firewall: { icmpp: true } }), false);
    assert.equal(validate({ version: 1, coin: "bitcoin", nodes: { tags: ["a"] } }), false);
  });
});
