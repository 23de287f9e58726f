import { isAmbiguousWrite } from "./http-errors.ts";

export interface CreateOnceSteps<T> {
  /** The POST. */
  create: () => Promise<T>;
  /** Re-reads: the resource the POST would have made, if it exists now. */
  find: () => Promise<T | undefined>;
  /** An answer meaning "maybe it already exists" (Vultr rejects duplicate rules with 400). */
  isConflict?: (e: unknown) => boolean;
  /** POSTs at most this many times. Default 3. */
  attempts?: number;
}

/**
 * Creates a resource without ever making two: after an ambiguous failure (5xx, connection lost
 * after sending, timeout) it re-reads; found → that is the result; not found → it posts again,
 * at most `attempts` times in all. A conflict answer is resolved by re-reading too.
 */
export async function createOnce<T>(steps: CreateOnceSteps<T>): Promise<T> {
  const attempts = Math.max(1, steps.attempts ?? 3);
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await steps.create();
    } catch (e) {
      const ambiguous = isAmbiguousWrite(e);
      if (!ambiguous && !(steps.isConflict?.(e) ?? false)) throw e;
      const found = await steps.find();
      if (found !== undefined) return found;
      if (!ambiguous) throw e;
      last = e;
    }
  }
  throw last;
}
