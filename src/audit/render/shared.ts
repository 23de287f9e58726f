import type { CheckResult, CheckStatus } from "../model.ts";
import type { AuditReport } from "../report.ts";

export const STATUS_WORD: Record<CheckStatus, string> = { pass: "pass", fail: "FAIL", attention: "attention", "cannot-check": "cannot check" };
export const STATUS_MARK: Record<CheckStatus, string> = { pass: "✓", fail: "✗", attention: "!", "cannot-check": "?" };

export function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The results of each step, check by check, in the registry's order. */
export function byStep(report: AuditReport): { step: AuditReport["steps"][number]; checks: { id: string; title: string; results: CheckResult[] }[] }[] {
  return report.steps.map((step) => ({
    step,
    checks: step.checks
      .map((id) => {
        const results = report.results.filter((r) => r.id === id);
        return { id, title: results[0]?.title ?? id, results };
      })
      .filter((c) => c.results.length > 0),
  }));
}

export function countsLine(report: AuditReport): string {
  const c = report.counts;
  return `${c.pass} pass, ${c.fail} fail, ${c.attention} need attention, ${c["cannot-check"]} cannot be checked`;
}

export function verdict(report: AuditReport, failed: boolean): string {
  if (failed && report.counts.fail === 0) return "FAILED (--strict: attention and cannot-check count as failures)";
  if (failed) return `FAILED: ${report.counts.fail} check result${report.counts.fail === 1 ? "" : "s"} failed`;
  return report.counts.attention + report.counts["cannot-check"] > 0 ? "PASSED, with items that need attention or could not be checked" : "PASSED: every check passed";
}

export function configLines(report: AuditReport): [string, string][] {
  const c = report.config;
  return [
    ["Config file", c.file],
    ["Provider", c.provider],
    ["Coin", c.coin],
    ["Nodes", c.nodes],
    ["Firewall group", c.firewallGroup],
    ["Ports open to the world", c.ports],
    ["Admin access", c.adminAccess.length === 0 ? "none (console only)" : c.adminAccess.join(", ")],
    ["Static hosts", String(c.staticHosts)],
  ];
}
