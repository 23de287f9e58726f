import { ATTESTATIONS, isoDay, type AttestationId, type AttestationView } from "../attest.ts";
import type { CheckOutcome } from "../model.ts";

/** An attestation as a result: current "yes" passes, "no" fails, missing or stale needs attention. */
export function attestedOutcome(id: AttestationId, view: AttestationView, unreadable: string): CheckOutcome {
  const a = ATTESTATIONS.find((x) => x.id === id)!;
  if (view.state === "missing") {
    return { status: "attention", evidence: `${unreadable}; not attested yet`, fix: a.fix };
  }
  const { attestation: at, ageDays, maxAgeDays } = view;
  const said = `the operator answered "${at.answer}" on ${isoDay(at.at)} (${ageDays} day${ageDays === 1 ? "" : "s"} ago, ${at.via === "flag" ? a.flag : "asked on the terminal"})`;
  if (at.answer === "no") return { status: "fail", evidence: `${unreadable}; ${said}`, fix: a.fix };
  if (view.state === "stale") return { status: "attention", evidence: `${unreadable}; ${said}, longer ago than audit.attestationMaxAgeDays (${maxAgeDays})`, fix: `check it is still true, then run \`nodeward audit ${a.flag}\`` };
  return { status: "pass", evidence: `${unreadable}; ${said}; asked again after ${maxAgeDays} days` };
}
