import type { Outcome } from "../context.ts";
import type { CheckOutcome } from "../model.ts";

/** Runs `fn` on a source's facts, or says "cannot check" with the source's reason and fix. */
export async function fromSource<T>(read: () => Promise<Outcome<T>>, fn: (facts: T) => readonly CheckOutcome[] | Promise<readonly CheckOutcome[]>): Promise<readonly CheckOutcome[]> {
  const o = await read();
  if (!o.ok) return [{ status: "cannot-check", evidence: o.reason, fix: o.fix }];
  return fn(o.value);
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
