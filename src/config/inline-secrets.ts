import { z } from "zod";
import { isSecretRefSchema } from "./secret-ref.ts";

export type KeyPath = readonly (string | number)[];

/**
 * The keys of a config value that hold a secret written inline (a string where `{env: …}` or
 * `{file: …}` could stand), found by walking the schema alongside the value the schema accepted.
 * A union follows the one form that accepts the value (a channel's own type). Pure.
 */
export function inlineSecretPaths(schema: z.ZodType, value: unknown, path: KeyPath = []): KeyPath[] {
  if (isSecretRefSchema(schema)) return typeof value === "string" ? [path] : [];
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return value === undefined ? [] : inlineSecretPaths(schema.unwrap() as z.ZodType, value, path);
  }
  if (schema instanceof z.ZodPipe) return inlineSecretPaths(schema.in as z.ZodType, value, path);
  if (schema instanceof z.ZodUnion) {
    const form = (schema.options as readonly z.ZodType[]).find((o) => o.safeParse(value).success);
    return form === undefined ? [] : inlineSecretPaths(form, value, path);
  }
  if (schema instanceof z.ZodObject && isRecord(value)) {
    const shape = schema.shape as Record<string, z.ZodType>;
    return Object.entries(shape).flatMap(([k, child]) => inlineSecretPaths(child, value[k], [...path, k]));
  }
  if (schema instanceof z.ZodArray && Array.isArray(value)) return value.flatMap((v, i) => inlineSecretPaths(schema.element as z.ZodType, v, [...path, i]));
  if (schema instanceof z.ZodRecord && isRecord(value)) return Object.entries(value).flatMap(([k, v]) => inlineSecretPaths(schema.valueType as z.ZodType, v, [...path, k]));
  return [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
