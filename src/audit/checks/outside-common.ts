import type { AddressEvidence } from "../../verify/evidence.ts";
import { describeVerifyFinding, type VerifyFinding } from "../../verify/findings.ts";
import type { OutsideFacts } from "../context.ts";
import { worstStatus, type CheckOutcome, type CheckStatus } from "../model.ts";

/** One address's verdict for one outside check. */
export interface AddressVerdict {
  status: CheckStatus;
  text: string;
  fix?: string;
}

/**
 * Outside checks judge each address of each node, then fold the addresses into one result per
 * node: the worst status, every address's evidence, the fix of the worst. An address this machine
 * has no route to is "cannot check", never a pass.
 */
export function perNode(facts: OutsideFacts, judge: (e: AddressEvidence, findings: readonly VerifyFinding[]) => AddressVerdict): CheckOutcome[] {
  const gap: CheckOutcome[] = facts.instancesUnknown === null ? [] : [{ status: "cannot-check", evidence: facts.instancesUnknown.reason, fix: facts.instancesUnknown.fix }];
  return [...gap, ...facts.reports.map((r): CheckOutcome => {
    const node = r.target.name;
    if (r.evidence.length === 0) return { node, status: "cannot-check", evidence: "no address to check", fix: "give the instance or static host a public address" };
    const verdicts = r.evidence.map((e) => {
      const findings = r.findings.filter((f) => f.address === e.address);
      const none = findings.find((f) => f.kind === "unreachable-from-here");
      const v: AddressVerdict = none !== undefined
        ? { status: "cannot-check", text: describeVerifyFinding(none), fix: `run the audit from a machine with IPv${e.family}` }
        : judge(e, findings);
      return { ...v, text: `${e.address}: ${v.text}` };
    });
    const status = worstStatus(verdicts.map((v) => v.status));
    const fix = verdicts.find((v) => v.status === status)?.fix;
    return { node, status, evidence: verdicts.map((v) => v.text).join("; "), ...(status === "pass" || fix === undefined ? {} : { fix }) };
  })];
}

export function portList(ports: readonly number[]): string {
  const shown = ports.slice(0, 12).join(", ");
  return ports.length > 12 ? `${shown} … (${ports.length} ports)` : shown || "none";
}
