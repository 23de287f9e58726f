import type { ConfigError, ConfigIssue } from "../core/errors.ts";
import { DEFAULT_CONFIG_FILE } from "./load.ts";

/**
 * One line per issue, editor-clickable, no stack trace:
 * `nodeward.yaml:12:5  firewall.adminAccess[0].cidr  "10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?`
 */
export function formatIssues(error: ConfigError): string {
  return formatIssueList(error.issues, error.file ?? DEFAULT_CONFIG_FILE);
}

/** The same layout for any list of issues, e.g. warnings. */
export function formatIssueList(issues: readonly ConfigIssue[], file: string): string {
  return issues.map((i) => formatIssue(i, file)).join("\n");
}

export function formatIssue(issue: ConfigIssue, file: string): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
  const message = issue.message.replace(/\s*\n\s*/g, " ");
  return issue.path === "" ? `${where}  ${message}` : `${where}  ${issue.path}  ${message}`;
}
