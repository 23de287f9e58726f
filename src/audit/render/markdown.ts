import { markdownInline as md } from "../../core/markdown-text.ts";
import type { AuditReport } from "../report.ts";
import { byStep, configLines, countsLine, STATUS_MARK, STATUS_WORD, utc, verdict } from "./shared.ts";

/**
 * Markdown for a ticket or a wiki: one table per guide step, every result with its evidence.
 * nodeward's own headings, titles and sentences are written as Markdown; every value that can carry
 * outside text (config values, node names, evidence, fixes) is escaped by `markdownInline`, so a
 * label can neither format, link, break a table cell nor start a line.
 */
export function renderMarkdown(report: AuditReport, opts: { failed: boolean }): string {
  const out: string[] = [
    "# nodeward audit",
    "",
    `**${verdict(report, opts.failed)}** — ${countsLine(report)}.`,
    "",
    `- Date: ${utc(report.generatedAt)}`,
    `- nodeward version: ${report.version}`,
    ...configLines(report).map(([k, v]) => `- ${k}: ${md(v)}`),
  ];
  byStep(report).forEach(({ step, checks }, n) => {
    out.push("", `## ${n + 1}. ${step.title} — ${STATUS_MARK[step.status]} ${STATUS_WORD[step.status]}`, "", `_${step.guide}_`, "", "| Status | Check | Node | Evidence | Fix |", "|---|---|---|---|---|");
    for (const c of checks) {
      for (const r of c.results) {
        out.push(`| ${STATUS_MARK[r.status]} ${STATUS_WORD[r.status]} | ${r.title} (\`${r.id}\`) | ${md(r.node ?? "—")} | ${md(r.evidence)} | ${md(r.fix ?? "")} |`);
      }
    }
  });
  return `${out.join("\n")}\n`;
}
