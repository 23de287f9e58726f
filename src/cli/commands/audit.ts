import { writeFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { resolve } from "node:path";
import { settleAttestations, type AttestationId } from "../../audit/attest.ts";
import { defaultStateDir, readAttestations, writeAttestations } from "../../audit/attest-file.ts";
import { assembleContext, type AuditDeps } from "../../audit/assemble.ts";
import { auditChecks } from "../../audit/checks/index.ts";
import type { Outcome } from "../../audit/context.ts";
import { renderHtml } from "../../audit/render/html.ts";
import { auditToJson } from "../../audit/render/json.ts";
import { renderMarkdown } from "../../audit/render/markdown.ts";
import { renderStepSummary, renderText } from "../../audit/render/text.ts";
import { auditFailed, buildReport, runChecks, type AuditReport, type ConfigSummary } from "../../audit/report.ts";
import { failure } from "../../audit/sources/failure.ts";
import { realProbes } from "../../audit/sources/outside.ts";
import { watchDatabasePath } from "../../audit/sources/watch-db.ts";
import { portText } from "../../coins/index.ts";
import { expandHome } from "../../config/home.ts";
import { resolvePorts } from "../../config/ports.ts";
import type { Config } from "../../config/schema.ts";
import { systemClock, type Clock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import { makeStyle, type Style } from "../../core/style.ts";
import type { FirewallProvider } from "../../firewall/provider.ts";
import { describeSelector } from "../../inventory/select.ts";
import type { VerifyProbes } from "../../verify/run.ts";
import { planRequestFromConfig } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import type { Io } from "../io.ts";
import { VERSION } from "../version.ts";
import { auditInputs, type AuditInputFlags } from "./audit-inputs.ts";

export const AUDIT_FORMATS = ["text", "json", "md", "html"] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export interface AuditRun extends AuditInputFlags {
  io: Io;
  config: Config;
  configFile: string;
  /** The provider client, or why there is none (a missing API key is a per-check "cannot check"). */
  provider: () => Promise<FirewallProvider>;
  format: AuditFormat;
  out?: string;
  strict: boolean;
  attest: readonly AttestationId[];
  clock?: Clock;
  /** Defaults to the real scanner, handshake and SAPI client. */
  probes?: VerifyProbes;
  /** Ask on a terminal (default: when standard input is a terminal). */
  ask?: ((question: string) => Promise<boolean>) | null;
  /** Skip the outside-in checks, saying why (the demo without network namespaces). */
  skipOutside?: { reason: string; fix: string };
  /** Print one line per guide step instead of the whole checklist (text only). */
  summaryOnly?: boolean;
  signal?: AbortSignal;
}

/**
 * `nodeward audit`: every step of the hardening guide, per node: pass / fail / attention /
 * cannot check, with evidence and fix. Exit 0 when nothing failed, 2 when something did (with
 * --strict also on attention or cannot-check); 1 when the audit itself could not run.
 */
export async function runAudit(run: AuditRun): Promise<ExitCode> {
  const { io, config } = run;
  const clock = run.clock ?? systemClock;
  const now = clock.now();
  const stateDir = config.audit.stateDir === undefined ? defaultStateDir(io.env) : expandHome(config.audit.stateDir, io.env["HOME"]);
  const settled = await settleAttestations({
    records: await readAttestations(stateDir),
    now,
    maxAgeDays: config.audit.attestationMaxAgeDays,
    flags: new Set(run.attest),
    ...(run.ask === null ? {} : run.ask !== undefined ? { ask: run.ask } : io.stdinIsTTY ? { ask: (q: string) => askYesNo(q) } : {}),
  });
  if (settled.changed) await writeAttestations(stateDir, settled.records);

  let provider: Outcome<FirewallProvider>;
  try {
    provider = { ok: true, value: await run.provider() };
  } catch (e) {
    provider = failure(e, "set the API key (provider.apiKeyEnv or provider.apiKeyFile)");
  }
  const deps: AuditDeps = {
    config,
    now,
    provider,
    request: planRequestFromConfig(config),
    probes: run.probes ?? realProbes(config),
    watchDatabase: watchDatabasePath(config, io.env),
    attestations: settled.records,
    ...auditInputs(run, { config, env: io.env, redactor: io.redactor }),
    ...(run.skipOutside === undefined ? {} : { skipOutside: run.skipOutside }),
    ...(run.signal === undefined ? {} : { signal: run.signal }),
  };
  const live = io.stderrIsTTY && !io.quiet;
  if (live) io.err(io.errStyle.dim("auditing: reading the provider, scanning every node from outside, reading the watch database …"));
  const results = await runChecks(auditChecks, assembleContext(deps));
  const report = buildReport({ checks: auditChecks, results, generatedAt: now, version: VERSION, config: configSummary(config, run.configFile) });
  const failed = auditFailed(report, run.strict);

  const toFile = run.out !== undefined;
  const o = { failed, strict: run.strict, verbose: io.verbose };
  // On the terminal the text goes through io's edge, whose own style carries our colours; a file gets none.
  const style = toFile ? makeStyle(false) : io.style;
  const text = run.summaryOnly === true && run.format === "text" ? renderStepSummary(report, style, o) : render(report, run.format, style, o);
  if (toFile) {
    const path = resolve(run.out!);
    try {
      await writeFile(path, io.redactor.redact(text), { mode: 0o644 });
    } catch (e) {
      throw new AppError("USAGE", `cannot write the report to ${path}: ${(e as Error).message}`, { cause: e });
    }
    if (!io.quiet) io.err(`Wrote the ${run.format} report to ${path}: ${report.counts.fail} failed, ${report.counts.attention} need attention, ${report.counts["cannot-check"]} cannot be checked.`);
  } else {
    io.out(text);
  }
  return failed ? EXIT.changes : EXIT.ok;
}

function render(report: AuditReport, format: AuditFormat, style: Style, o: { failed: boolean; strict: boolean; verbose: boolean }): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(auditToJson(report, o), null, 2)}\n`;
    case "md":
      return renderMarkdown(report, o);
    case "html":
      return renderHtml(report, o);
    case "text":
      return renderText(report, style, o);
  }
}

export function configSummary(config: Config, file: string): ConfigSummary {
  return {
    file,
    provider: `${config.provider.type} (${config.provider.baseUrl})`,
    coin: config.coin,
    nodes: describeSelector(config.nodes),
    firewallGroup: config.firewall.groupId === undefined ? `"${config.firewall.description}"` : `"${config.firewall.description}" (pinned ${config.firewall.groupId})`,
    ports: resolvePorts(config).map((p) => `${p.protocol} ${portText(p)} (${p.purpose})`).join(", "),
    adminAccess: config.firewall.adminAccess.map((a) => `${a.protocol} ${portText(a)} from ${a.cidr}${a.note ? ` (${a.note})` : ""}`),
    staticHosts: config.hosts.length,
  };
}

export function parseFormat(format: string | undefined, json: boolean): AuditFormat {
  if (json && format !== undefined && format !== "json") throw new AppError("USAGE", `--json and --format ${format} disagree`, { hint: "use one of them" });
  const f = json ? "json" : (format ?? "text");
  if (!(AUDIT_FORMATS as readonly string[]).includes(f)) throw new AppError("USAGE", `--format must be one of ${AUDIT_FORMATS.join(", ")}, got ${f}`);
  return f as AuditFormat;
}

async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
