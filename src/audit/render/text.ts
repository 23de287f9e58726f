import { oneLine } from "../../core/safe-text.ts";
import type { Style } from "../../core/style.ts";
import type { CheckResult, CheckStatus } from "../model.ts";
import { worstStatus } from "../model.ts";
import type { AuditReport } from "../report.ts";
import { byStep, countsLine, STATUS_MARK, utc, verdict } from "./shared.ts";

/**
 * The terminal checklist, grouped by guide step. A check about the fleet is one line; a check per
 * node lists the nodes that did not pass (passes fold into one line unless `verbose`), then each
 * distinct fix once. Node names, evidence and fixes quote provider data and network answers: each
 * passes through `oneLine`.
 */
export function renderText(report: AuditReport, s: Style, opts: { failed: boolean; verbose: boolean }): string {
  const paint: Record<CheckStatus, (t: string) => string> = { pass: s.green, fail: s.red, attention: s.yellow, "cannot-check": s.dim };
  const mark = (st: CheckStatus) => paint[st](STATUS_MARK[st]);
  const out: string[] = [s.bold(`nodeward audit — ${utc(report.generatedAt)}, nodeward ${report.version}, coin ${report.config.coin}`)];
  byStep(report).forEach(({ step, checks }, n) => {
    out.push("", `${mark(step.status)} ${s.bold(`${n + 1}. ${step.title}`)}`);
    for (const c of checks) {
      const status = worstStatus(c.results.map((r) => r.status));
      const head = `  ${mark(status)} ${c.title} ${s.dim(`[${c.id}]`)}`;
      const [only] = c.results;
      if (c.results.length === 1 && only !== undefined && only.node === undefined) {
        out.push(`${head}: ${oneLine(only.evidence)}`, ...fixes([only], s));
        continue;
      }
      out.push(head);
      const shown = opts.verbose ? c.results : c.results.filter((r) => r.status !== "pass");
      for (const r of shown) out.push(`      ${mark(r.status)} ${oneLine(r.node ?? "all")}: ${oneLine(r.evidence)}`);
      const folded = c.results.length - shown.length;
      if (folded > 0) out.push(`      ${mark("pass")} ${foldedText(folded, shown.length > 0)}`);
      out.push(...fixes(shown, s));
    }
  });
  out.push("", `${countsLine(report)}.`, opts.failed ? s.red(s.bold(verdict(report, true))) : s.green(verdict(report, false)));
  return `${out.join("\n")}\n`;
}

function foldedText(n: number, others: boolean): string {
  if (n === 1) return others ? "1 other node passes" : "the node passes";
  if (n === 2 && !others) return "both nodes pass";
  return `${others ? `${n} other` : `all ${n}`} nodes pass`;
}

/** Each distinct fix of the results that did not pass, one line each. */
function fixes(results: readonly CheckResult[], s: Style): string[] {
  const distinct = [...new Set(results.filter((r) => r.status !== "pass" && r.fix !== undefined).map((r) => r.fix!))];
  return distinct.map((f) => `      ${s.cyan("fix:")} ${oneLine(f)}`);
}

/** One line per guide step with its counts: the short form the demo shows before hardening. */
export function renderStepSummary(report: AuditReport, s: Style, opts: { failed: boolean }): string {
  const paint: Record<CheckStatus, (t: string) => string> = { pass: s.green, fail: s.red, attention: s.yellow, "cannot-check": s.dim };
  const lines = byStep(report).map(({ step, checks }, n) => {
    const results = checks.flatMap((c) => c.results);
    const counts = (["fail", "attention", "cannot-check", "pass"] as const)
      .map((st) => [st, results.filter((r) => r.status === st).length] as const)
      .filter(([, k]) => k > 0)
      .map(([st, k]) => paint[st](`${k} ${st === "cannot-check" ? "cannot check" : st}`));
    return `  ${paint[step.status](STATUS_MARK[step.status])} ${`${n + 1}. ${step.title}`.padEnd(24)} ${counts.join(", ")}`;
  });
  return `${lines.join("\n")}\n\n${opts.failed ? s.red(s.bold(verdict(report, true))) : s.green(verdict(report, false))}\n`;
}
