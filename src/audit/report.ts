import { CHECK_STATUSES, STEPS, worstStatus, type AuditCheck, type CheckResult, type CheckStatus, type StepId } from "./model.ts";

/** The audit's outcome: what every format (text, JSON, Markdown, HTML) renders. */
export interface AuditReport {
  generatedAt: number;
  version: string;
  config: ConfigSummary;
  steps: readonly StepSummary[];
  results: readonly CheckResult[];
  counts: Record<CheckStatus, number>;
}

/** What an operator needs to know about the configuration the audit ran with. No secret. */
export interface ConfigSummary {
  file: string;
  provider: string;
  coin: string;
  nodes: string;
  firewallGroup: string;
  ports: string;
  adminAccess: readonly string[];
  staticHosts: number;
}

export interface StepSummary {
  id: StepId;
  title: string;
  guide: string;
  status: CheckStatus;
  checks: readonly string[];
}

/** Runs every check (one failing check is "cannot check", never a crashed audit) and folds the results. */
export async function runChecks<Ctx>(checks: readonly AuditCheck<Ctx>[], ctx: Ctx): Promise<CheckResult[]> {
  const results = await Promise.all(
    checks.map(async (c): Promise<CheckResult[]> => {
      let outcomes;
      try {
        outcomes = await c.run(ctx);
      } catch (e) {
        outcomes = [{ status: "cannot-check" as const, evidence: `the check failed: ${e instanceof Error ? e.message : String(e)}`, fix: "run again with --verbose and report it if it repeats" }];
      }
      if (outcomes.length === 0) outcomes = [{ status: "cannot-check" as const, evidence: "nothing to check" }];
      return outcomes.map((o) => ({ id: c.id, step: c.step, title: c.title, ...o }));
    }),
  );
  return results.flat();
}

export function buildReport(input: { checks: readonly AuditCheck<unknown>[]; results: readonly CheckResult[]; generatedAt: number; version: string; config: ConfigSummary }): AuditReport {
  const counts = Object.fromEntries(CHECK_STATUSES.map((s) => [s, input.results.filter((r) => r.status === s).length])) as Record<CheckStatus, number>;
  const steps = STEPS.map((s) => ({
    id: s.id,
    title: s.title,
    guide: s.guide,
    status: worstStatus(input.results.filter((r) => r.step === s.id).map((r) => r.status)),
    checks: input.checks.filter((c) => c.step === s.id).map((c) => c.id),
  }));
  return { generatedAt: input.generatedAt, version: input.version, config: input.config, steps, results: input.results, counts };
}

/**
 * The exit code's meaning: 0 when nothing failed, 2 when a check failed. "attention" and
 * "cannot check" do not fail the audit unless `strict` (then they count as failures).
 */
export function auditFailed(report: AuditReport, strict: boolean): boolean {
  if (report.counts.fail > 0) return true;
  return strict && (report.counts.attention > 0 || report.counts["cannot-check"] > 0);
}
