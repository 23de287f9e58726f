import type { z } from "zod";

/**
 * Plain-language messages for zod's generic issues, used as the per-parse error map when a file
 * is loaded. Messages set on a schema (ports, CIDRs, coin names) take precedence over these.
 * The issue's path column already names the key, so messages do not repeat it.
 */
export function configErrorMap(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value")) return "required key is missing";
  switch (issue.code) {
    case "invalid_type":
      return `expected ${expectedName(issue.expected)}, got ${describeValue(issue.input)}`;
    case "too_small":
      return tooSmall(issue.origin, Number(issue.minimum), issue.input);
    case "too_big":
      return tooBig(issue.origin, Number(issue.maximum), issue.input);
    case "invalid_value":
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${describeValue(issue.input)}`;
    case "invalid_format":
      return `${describeValue(issue.input)} is not a valid ${issue.format}`;
    default:
      return undefined;
  }
}

const EXPECTED: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  string: "text",
  boolean: "true or false",
  array: "a list",
  object: "a mapping of keys",
};

function expectedName(expected: string): string {
  return EXPECTED[expected] ?? expected;
}

function tooSmall(origin: string, min: number, input: unknown): string {
  if (origin === "array") return `list at least ${min} item${min === 1 ? "" : "s"}`;
  if (origin === "string") return min === 1 ? "must not be empty" : `must be at least ${min} characters`;
  return `must be at least ${min}, got ${describeValue(input)}`;
}

function tooBig(origin: string, max: number, input: unknown): string {
  if (origin === "array") return `list at most ${max} item${max === 1 ? "" : "s"}`;
  if (origin === "string") return `must be at most ${max} characters`;
  return `must be at most ${max}, got ${describeValue(input)}`;
}

/** How a YAML value is named in a message: `"abc"`, `70000`, `true`, `a list`, `nothing (null)`. */
export function describeValue(v: unknown): string {
  if (v === null) return "nothing (null)";
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" && !Number.isInteger(v)) return `the fraction ${v}`;
  return String(v);
}
