import type { CheckStatus, StepId } from "../model.ts";
import type { AuditReport, ConfigSummary } from "../report.ts";

/**
 * The documented, stable JSON shape (docs/audit.md, schema/audit-report.schema.json). Fields are
 * only ever added; `schemaVersion` changes if one is removed or changes meaning.
 */
export interface AuditJson {
  schemaVersion: 1;
  tool: "nodeward";
  version: string;
  generatedAt: string;
  config: ConfigSummary;
  strict: boolean;
  ok: boolean;
  exitCode: 0 | 2;
  counts: Record<CheckStatus, number>;
  steps: { id: StepId; title: string; guide: string; status: CheckStatus; checks: string[] }[];
  results: { id: string; step: StepId; title: string; node: string | null; status: CheckStatus; evidence: string; fix: string | null }[];
}

export function auditToJson(report: AuditReport, opts: { failed: boolean; strict: boolean }): AuditJson {
  return {
    schemaVersion: 1,
    tool: "nodeward",
    version: report.version,
    generatedAt: new Date(report.generatedAt).toISOString(),
    config: { ...report.config, adminAccess: [...report.config.adminAccess] },
    strict: opts.strict,
    ok: !opts.failed,
    exitCode: opts.failed ? 2 : 0,
    counts: { ...report.counts },
    steps: report.steps.map((s) => ({ id: s.id, title: s.title, guide: s.guide, status: s.status, checks: [...s.checks] })),
    results: report.results.map((r) => ({ id: r.id, step: r.step, title: r.title, node: r.node ?? null, status: r.status, evidence: r.evidence, fix: r.fix ?? null })),
  };
}
