/**
 * OpenAPI 3.0 schema objects → JSON Schema (draft-07) for ajv. Pure.
 *
 * - `$ref: "#/components/schemas/X"` points into a separately registered components schema;
 * - `nullable: true` becomes a `"null"` type alternative;
 * - annotations ajv cannot use (`x-*`, `example(s)`, `deprecated`, `readOnly`, …) are dropped,
 *   and so are `type` values JSON Schema does not know (the Vultr spec has `"type": "enum"`);
 * - in strict mode every object with `properties` gets `additionalProperties: false`, plus the
 *   fields `extras` documents for that component: undocumented fields become violations.
 */

export type JsonSchema = Record<string, unknown>;

export interface ConvertOptions {
  strict: boolean;
  /** Prefix replacing "#/components/schemas/" in refs, e.g. "vultr-components#/definitions/". */
  refPrefix: string;
}

const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);
const DROPPED = new Set(["example", "examples", "nullable", "deprecated", "readOnly", "writeOnly", "discriminator", "xml", "externalDocs"]);
const COMPONENT_REF = "#/components/schemas/";

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function convertSchema(node: unknown, opts: ConvertOptions, extras?: Readonly<Record<string, JsonSchema>>): unknown {
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-") || DROPPED.has(key)) continue;
    switch (key) {
      case "$ref":
        out.$ref = typeof value === "string" && value.startsWith(COMPONENT_REF)
          ? `${opts.refPrefix}${encodePointer(value.slice(COMPONENT_REF.length))}`
          : value;
        break;
      case "properties":
        out.properties = isObject(value) ? mapValues(value, (v) => convertSchema(v, opts)) : value;
        break;
      case "items":
      case "not":
        out[key] = convertSchema(value, opts);
        break;
      case "additionalProperties":
        out[key] = typeof value === "boolean" ? value : convertSchema(value, opts);
        break;
      case "allOf":
      case "anyOf":
      case "oneOf":
        // Members of a composition must stay open, or allOf could never match anything.
        out[key] = Array.isArray(value) ? value.map((v) => convertSchema(v, { ...opts, strict: false })) : value;
        break;
      case "type":
        if (typeof value === "string" && JSON_TYPES.has(value)) out.type = value;
        break;
      default:
        out[key] = value;
    }
  }
  if (node.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  if (extras && isObject(out.properties)) out.properties = { ...extras, ...out.properties };
  if (opts.strict && isObject(out.properties) && out.additionalProperties === undefined && out.$ref === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/** `components.schemas` as one registrable JSON Schema with `definitions`. */
export function convertComponents(
  schemas: Readonly<Record<string, unknown>>,
  id: string,
  opts: ConvertOptions,
  extrasByComponent: Readonly<Record<string, Readonly<Record<string, JsonSchema>>>>,
): JsonSchema {
  return { $id: id, definitions: mapValues(schemas, (s, name) => convertSchema(s, opts, extrasByComponent[name])) };
}

function mapValues(obj: Record<string, unknown>, fn: (v: unknown, k: string) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v, k)]));
}

function encodePointer(name: string): string {
  return encodeURIComponent(name.replaceAll("~", "~0").replaceAll("/", "~1"));
}
