import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { convertComponents, convertSchema, isObject, type JsonSchema } from "./openapi-schema.ts";
import { packagePath } from "../core/package-root.ts";

/**
 * Checks HTTP answers against Vultr's vendored OpenAPI spec: the status must be one the spec lists
 * for the operation, a response without content in the spec must have an empty body, a JSON body
 * must match the schema — in strict mode with no field the spec does not document, except the
 * explicit allowlist below.
 */

export interface SpecValidator {
  /** `pathTemplate` may be the spec's ("/firewalls/{firewall-group-id}") or "/firewalls/{id}". */
  validateResponse(method: string, pathTemplate: string, status: number, body: string): string[];
  /** For answers outside any operation (unknown route, wrong method): the error shape only. */
  validateErrorBody(status: number, body: string): string[];
  hasOperation(method: string, pathTemplate: string): boolean;
}

export interface SpecValidatorOptions {
  /** A parsed OpenAPI 3.0 document; default: vendor/vultr/v0.0.1.json. */
  spec?: unknown;
  /** Report fields the spec does not document (default true). */
  strict?: boolean;
}

/** Fields real Vultr returns and documents in its examples / newer spec, missing from the 2023 schemas. */
export const DOCUMENTED_EXTRAS: Readonly<Record<string, Readonly<Record<string, JsonSchema>>>> = {
  instance: {
    v6_main_ip: { type: "string" },
    v6_network: { type: "string" },
    v6_network_size: { type: "integer" },
  },
};

/** Statuses the spec's introduction documents for every request: the rate limit and server failure. */
const GLOBAL_STATUSES = new Set([429, 500]);

/**
 * Spec gaps: statuses the simulator must answer that the 2023 spec omits for one operation.
 * `GET /firewalls` lists only 200/401, yet it takes `per_page` (max 500) and `cursor`, which every
 * other list answers with 400 when invalid.
 */
const KNOWN_GAPS: Readonly<Record<string, readonly number[]>> = { "GET /firewalls": [400] };

/** 4xx/5xx bodies: `error` (spec intro) plus `status`, which real answers carry (NOTES §2). */
const ERROR_SCHEMA = (strict: boolean): JsonSchema => ({
  type: "object",
  required: ["error"],
  properties: { error: { type: "string" }, status: { type: "integer" } },
  additionalProperties: !strict,
});

const COMPONENTS_ID = "vultr-components";

export function loadVultrSpec(): unknown {
  return JSON.parse(readFileSync(packagePath("vendor", "vultr", "v0.0.1.json"), "utf8"));
}

interface Operation {
  key: string;
  responses: Record<string, unknown>;
}

export function createSpecValidator(options: SpecValidatorOptions = {}): SpecValidator {
  const spec = options.spec ?? loadVultrSpec();
  const strict = options.strict ?? true;
  const opts = { strict, refPrefix: `${COMPONENTS_ID}#/definitions/` };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const components = isObject(spec) && isObject(spec.components) && isObject(spec.components.schemas) ? spec.components.schemas : {};
  ajv.addSchema(convertComponents(components, COMPONENTS_ID, opts, DOCUMENTED_EXTRAS));
  const operations = indexOperations(spec);
  const compiled = new Map<string, ValidateFunction>();
  const errorValidator = ajv.compile(ERROR_SCHEMA(strict));

  const validateJson = (validate: ValidateFunction, body: string, what: string): string[] => {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      return [`${what}: body is not JSON: ${preview(body)}`];
    }
    return validate(data) ? [] : (validate.errors ?? []).map((e) => `${what}: ${formatError(e)}`);
  };

  const validateErrorBody = (status: number, body: string): string[] =>
    validateJson(errorValidator, body, `status ${status} error body`);

  return {
    hasOperation: (method, path) => operations.has(normalise(method, path)),
    validateErrorBody,
    validateResponse(method, pathTemplate, status, body) {
      const op = operations.get(normalise(method, pathTemplate));
      if (!op) return [`${method.toUpperCase()} ${pathTemplate} is not an operation of the spec`];
      const response = op.responses[String(status)] ?? op.responses.default;
      if (response === undefined) {
        if (GLOBAL_STATUSES.has(status) || KNOWN_GAPS[op.key]?.includes(status)) return validateErrorBody(status, body);
        return [`${op.key}: status ${status} is not documented (the spec lists ${Object.keys(op.responses).join(", ")})`];
      }
      const schema = jsonSchemaOf(response);
      if (schema === undefined) {
        if (status >= 400) return validateErrorBody(status, body);
        return body === "" ? [] : [`${op.key} ${status}: the spec documents no content, but the body is ${preview(body)}`];
      }
      if (body === "") return [`${op.key} ${status}: expected a JSON body, got none`];
      const cacheKey = `${op.key} ${status}`;
      let validate = compiled.get(cacheKey);
      if (!validate) {
        validate = ajv.compile(convertSchema(schema, opts) as JsonSchema);
        compiled.set(cacheKey, validate);
      }
      return validateJson(validate, body, `${op.key} ${status}`);
    },
  };
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

function indexOperations(spec: unknown): Map<string, Operation> {
  const index = new Map<string, Operation>();
  const paths = isObject(spec) && isObject(spec.paths) ? spec.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const responses = isObject(op.responses) ? op.responses : {};
      if (!index.has(normalise(method, path))) index.set(normalise(method, path), { key, responses });
    }
  }
  return index;
}

function normalise(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, "{}")}`;
}

function jsonSchemaOf(response: unknown): unknown {
  if (!isObject(response) || !isObject(response.content)) return undefined;
  const media = response.content["application/json"];
  return isObject(media) ? media.schema : undefined;
}

function formatError(e: ErrorObject): string {
  const at = e.instancePath === "" ? "(root)" : e.instancePath;
  if (e.keyword === "additionalProperties") {
    return `${at}: field "${String(e.params.additionalProperty)}" is not in the spec`;
  }
  return `${at} ${e.message ?? e.keyword}`;
}

function preview(body: string): string {
  return body.length > 80 ? JSON.stringify(`${body.slice(0, 80)}…`) : JSON.stringify(body);
}
