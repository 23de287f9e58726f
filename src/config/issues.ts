import type { z } from "zod";
import type { ConfigIssue } from "../core/errors.ts";
import { formatPath } from "./issue-path.ts";
import { closestKey, knownKeysAt } from "./keys.ts";
import type { Position } from "./locate.ts";

export type Locator = (path: readonly PropertyKey[], target: "key" | "value") => Position;

/**
 * zod's issues → ConfigIssues with their lines: one issue per unknown key (with a "did you
 * mean"), duplicates dropped, sorted by position.
 */
export function toConfigIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, where: Locator): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues.flatMap(matchedBranch)) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        out.push({ path: formatPath(path), message: unknownKeyMessage(key, known), ...where(path, "key") });
      }
    } else {
      out.push({ path: formatPath(issue.path), message: issue.message, ...where(issue.path, "value") });
    }
  }
  return sortIssues(dedupe(out));
}

/**
 * A value that fits none of a union's forms. When exactly one form accepted the value's type
 * ({port: 22, protocol: icmp} is a mapping, so the mapping form), that form's issues say what is
 * wrong far better than "expected one of …"; otherwise the union's own message stands.
 */
function matchedBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
  const typeMismatch = (i: z.core.$ZodIssue) => i.path.length === 0 && i.code === "invalid_type" && i.expected !== "int";
  const matched = issue.errors.filter((branch) => !branch.every(typeMismatch));
  const [only] = matched;
  if (matched.length !== 1 || only === undefined) return [issue];
  return only.flatMap((i) => matchedBranch({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue));
}

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const near = closestKey(key, known);
  if (near !== undefined) return `unknown key "${key}"; did you mean "${near}"?`;
  return known.length > 0 ? `unknown key "${key}"; allowed here: ${known.join(", ")}` : `unknown key "${key}"`;
}

export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const rank = (i: ConfigIssue) => [i.line ?? Infinity, i.column ?? Infinity] as const;
  return [...issues].sort((a, b) => {
    const [la, ca] = rank(a);
    const [lb, cb] = rank(b);
    return la - lb || ca - cb;
  });
}

function dedupe(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
