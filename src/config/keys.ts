import { z } from "zod";

/**
 * Which keys the schema allows at a path, and the closest one to a typo. Walks the schema through
 * its public accessors (shape, element, unwrap, in, options); used only to word error messages.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const objects = objectsAt(schema, path);
  return [...new Set(objects.flatMap((o) => Object.keys(o.shape)))];
}

function objectsAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodObject[] {
  const here = unwrap(schema);
  if (path.length === 0) return here.filter((s): s is z.ZodObject => s instanceof z.ZodObject);
  const [head, ...rest] = path;
  return here.flatMap((s) => {
    if (s instanceof z.ZodObject && typeof head === "string") {
      const child = (s.shape as Record<string, z.ZodType | undefined>)[head];
      return child ? objectsAt(child, rest) : [];
    }
    if (s instanceof z.ZodArray && typeof head === "number") return objectsAt(s.element as z.ZodType, rest);
    return [];
  });
}

/** The concrete schemas a wrapper stands for: defaults, optionals and pipes peeled, unions spread. */
function unwrap(schema: z.ZodType): z.ZodType[] {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodPipe) return unwrap(schema.in as z.ZodType);
  if (schema instanceof z.ZodUnion) return (schema.options as readonly z.ZodType[]).flatMap(unwrap);
  return [schema];
}

/**
 * The known key closest to `typo`, when it is within 2 edits. Case, "_" and "-" are ignored first,
 * so api_key_env and APIKEYENV both find apiKeyEnv.
 */
export function closestKey(typo: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const key of known) {
    const d = editDistance(normalize(typo), normalize(key));
    if (d <= 2 && (best === undefined || d < best.d)) best = { key, d };
  }
  return best?.key;
}

const normalize = (s: string): string => s.toLowerCase().replace(/[_-]/g, "");

/** Levenshtein distance with adjacent transpositions counted as one edit. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = d;
    }
  }
  return at(a.length, b.length);
}
