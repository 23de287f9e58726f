import { z } from "zod";
import { configSchema } from "./schema.ts";

export const CONFIG_SCHEMA_ID = "urn:nodeward:config:v1";
export const CONFIG_SCHEMA_FILE = "schema/nodeward.schema.json";

/**
 * The editor schema for nodeward.yaml, generated from the zod schema. Input side: keys with
 * defaults are optional. Draft-07, which YAML language servers and ajv read without options.
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { io: "input", target: "draft-07" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: CONFIG_SCHEMA_ID, title: "nodeward.yaml", ...rest };
}

/** The exact text of schema/nodeward.schema.json. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
