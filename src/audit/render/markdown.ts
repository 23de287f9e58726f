import type { AuditReport } from "../report.ts";
import { byStep, configLines, countsLine, STATUS_MARK, STATUS_WORD, utc, verdict } from "./shared.ts";

/** Markdown for a ticket or a wiki: one table per guide step, every result with its evidence. */
export function renderMarkdown(report: AuditReport, opts: { failed: boolean }): string {
  const out: string[] = [
    "# nodeward audit",
    "",
    `**${md(verdict(report, opts.failed))}** — ${md(countsLine(report))}.`,
    "",
    `- Date: ${utc(report.generatedAt)}`,
    `- nodeward version: ${md(report.version)}`,
    ...configLines(report).map(([k, v]) => `- ${k}: ${md(v)}`),
  ];
  byStep(report).forEach(({ step, checks }, n) => {
    out.push("", `## ${n + 1}. ${md(step.title)} — ${STATUS_MARK[step.status]} ${STATUS_WORD[step.status]}`, "", `_${md(step.guide)}_`, "", "| Status | Check | Node | Evidence | Fix |", "|---|---|---|---|---|");
    for (const c of checks) {
      for (const r of c.results) {
        out.push(`| ${STATUS_MARK[r.status]} ${STATUS_WORD[r.status]} | ${md(r.title)} (\`${r.id}\`) | ${md(r.node ?? "—")} | ${md(r.evidence)} | ${md(r.fix ?? "")} |`);
      }
    }
  });
  return `${out.join("\n")}\n`;
}

/** Text safe in a Markdown table cell: no pipe, no line break, no HTML. */
function md(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r?\n/g, " ");
}
