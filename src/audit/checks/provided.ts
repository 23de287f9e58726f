import type { CheckOutcome } from "../model.ts";
import type { Provided } from "../ports.ts";

/**
 * Checks that need an input the operator may not give (the node's conf, a wallet path, the
 * dashboard's users): "cannot check — not given" without it, and an honest "cannot check" when
 * this build cannot read it yet.
 */
export async function fromProvided<T>(p: Provided<T>, notGivenFix: string, fn: (probe: T) => Promise<readonly CheckOutcome[]>): Promise<readonly CheckOutcome[]> {
  if (p.state === "not-given") return [{ status: "cannot-check", evidence: "not given", fix: notGivenFix }];
  if (p.state === "unsupported") return [{ status: "cannot-check", evidence: `${p.input} given, but ${p.why}`, fix: "update nodeward; meanwhile check this step by hand" }];
  try {
    return await fn(p.probe);
  } catch (e) {
    return [{ status: "cannot-check", evidence: `could not read it: ${e instanceof Error ? e.message : String(e)}`, fix: "run the audit as a user who can read it (on the node: root)" }];
  }
}
