import { AppError } from "../../core/errors.ts";
import type { Outcome } from "../context.ts";

/** An error from reading a source, as a "cannot check" reason the report can show. */
export function failure(e: unknown, fallbackFix: string): Outcome<never> {
  if (e instanceof AppError) return { ok: false, reason: e.message, fix: e.hint ?? fallbackFix, code: e.code };
  return { ok: false, reason: `unexpected error: ${e instanceof Error ? e.message : String(e)}`, fix: "run again with --verbose; report it if it repeats" };
}
