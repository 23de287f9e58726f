import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { auditChecks } from "../src/audit/checks/index.ts";
import { STEPS, type CheckResult } from "../src/audit/model.ts";
import { renderHtml } from "../src/audit/render/html.ts";
import { auditToJson } from "../src/audit/render/json.ts";
import { renderMarkdown } from "../src/audit/render/markdown.ts";
import { renderText } from "../src/audit/render/text.ts";
import { auditFailed, buildReport, runChecks, type AuditReport } from "../src/audit/report.ts";
import { makeStyle } from "../src/core/style.ts";
import { checkHtml } from "./helpers/html-wellformed.ts";
import { auditContext } from "./helpers/audit.ts";

const schema = JSON.parse(readFileSync(new URL("../schema/audit-report.schema.json", import.meta.url), "utf8")) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(schema);

const HOSTILE = `<script>alert("x")</script> & 'quotes' | pipes > arrows`;
const CONFIG = { file: "/etc/nodeward/nodeward.yaml", provider: "vultr (https://api.vultr.com/v2)", coin: "smartcash", nodes: "tags smartnode", firewallGroup: `"SmartNodes Only"`, ports: "tcp 9678 (P2P), tcp 8080 (SAPI)", adminAccess: [], staticHosts: 0 };

/** A report from a real run of every registered check (no provider, no database, nothing given). */
async function realReport(): Promise<AuditReport> {
  const { ctx } = auditContext({ yaml: "version: 1\ncoin: smartcash\nnodes: { tags: [smartnode] }\n" });
  const results = await runChecks(auditChecks, ctx);
  return buildReport({ checks: auditChecks, results, generatedAt: Date.parse("2026-11-26T05:00:00Z"), version: "0.1.0", config: CONFIG });
}

/** A report with every status, a per-node check and text that must be escaped. */
function mixedReport(): AuditReport {
  const base = { step: "cloud-firewall" as const, title: "No SSH from the Internet", id: "firewall.ssh" };
  const results: CheckResult[] = [
    { ...base, node: "sn-1", status: "pass", evidence: "no rule accepts SSH" },
    { ...base, node: "sn-2", status: "fail", evidence: HOSTILE, fix: `fix ${HOSTILE}` },
    { id: "account.2fa", step: "account", title: "Two-factor", status: "attention", evidence: "not attested", fix: "nodeward audit --attest-2fa" },
    { id: "reward-clock", step: "reward-clock", title: "Reward", status: "cannot-check", evidence: "no watch database", fix: "run nodeward watch" },
  ];
  return buildReport({ checks: auditChecks, results, generatedAt: Date.parse("2026-11-26T05:00:00Z"), version: "0.1.0", config: { ...CONFIG, adminAccess: [`tcp 22 from 203.0.113.7/32 (${HOSTILE})`] } });
}

describe("audit registry", () => {
  it("lists unique ids, every step has a check, and every check is documented in docs/audit.md", () => {
    const ids = auditChecks.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const s of STEPS) assert.ok(auditChecks.some((c) => c.step === s.id), `step ${s.id} has no check`);
    const docs = readFileSync(new URL("../docs/audit.md", import.meta.url), "utf8");
    for (const c of auditChecks) {
      assert.ok(docs.includes(`\`${c.id}\``), `docs/audit.md does not document ${c.id}`);
      assert.ok(c.passes.length > 20 && c.title.length > 3, c.id);
    }
  });

  it("runs every check to a result: nothing crashes without provider, database or inputs", async () => {
    const report = await realReport();
    assert.deepEqual([...new Set(report.results.map((r) => r.id))], auditChecks.map((c) => c.id));
    assert.equal(report.counts.pass + report.counts.fail + report.counts.attention + report.counts["cannot-check"], report.results.length);
    assert.equal(auditFailed(report, false), false, "cannot-check and attention do not fail the audit");
    assert.equal(auditFailed(report, true), true, "--strict makes them fail it");
  });
});

describe("audit report formats", () => {
  it("writes JSON that validates against schema/audit-report.schema.json", async () => {
    for (const report of [await realReport(), mixedReport()]) {
      for (const strict of [false, true]) {
        const failed = auditFailed(report, strict);
        const json = JSON.parse(JSON.stringify(auditToJson(report, { failed, strict }))) as { ok: boolean; exitCode: number; results: { fix: string | null }[] };
        assert.ok(validate(json), JSON.stringify(validate.errors, null, 1));
        assert.equal(json.ok, !failed);
        assert.equal(json.exitCode, failed ? 2 : 0);
      }
    }
    const bad = { ...auditToJson(mixedReport(), { failed: true, strict: false }), extra: 1 };
    assert.equal(validate(bad), false, "the schema rejects fields it does not document");
  });

  it("writes one self-contained, well-formed HTML page with every check, escaped", async () => {
    for (const report of [await realReport(), mixedReport()]) {
      const html = renderHtml(report, { failed: auditFailed(report, false) });
      const { problems, text, tags } = checkHtml(html);
      assert.deepEqual(problems, []);
      assert.ok(!tags.includes("script") && !tags.includes("link") && !tags.includes("img") && !tags.includes("iframe"), "no script or external resource");
      assert.doesNotMatch(html, /\b(src|href)=|url\(|@import/i);
      for (const id of new Set(report.results.map((r) => r.id))) assert.ok(text.includes(id), `HTML lacks ${id}`);
      assert.match(text, /nodeward version\s*0\.1\.0/);
      assert.match(text, /2026-11-26 05:00 UTC/);
      assert.match(text, /Config file\/etc\/nodeward\/nodeward\.yaml/);
    }
    const text = checkHtml(renderHtml(mixedReport(), { failed: true })).text;
    assert.ok(text.includes(HOSTILE), "hostile text survives as text, escaped");
  });

  it("writes Markdown tables with every result, pipes escaped", () => {
    const md = renderMarkdown(mixedReport(), { failed: true });
    const rows = md.split("\n").filter((l) => /^\| (✓|✗|!|\?) /.test(l));
    assert.equal(rows.length, 4);
    for (const r of rows) assert.equal(r.split(/(?<!\\)\|/).length, 7, r);
    assert.doesNotMatch(md, /<script>/);
    assert.match(md, /^## 1\. Cloud firewall — ✗ FAIL$/m);
    assert.match(md, /- nodeward version: 0\.1\.0/);
  });

  it("prints a checklist grouped by step, failures with one fix line, passes folded", () => {
    const ESC = String.fromCharCode(27);
    const plain = renderText(mixedReport(), makeStyle(false), { failed: true, verbose: false });
    assert.match(plain, /✗ 1\. Cloud firewall\n {2}✗ No SSH from the Internet \[firewall\.ssh\]\n {6}✗ sn-2: <script>/);
    assert.match(plain, / {6}✓ 1 other node passes\n {6}fix: fix <script>/);
    assert.match(plain, /! Two-factor \[account\.2fa\]: not attested\n {6}fix: nodeward audit --attest-2fa/);
    assert.match(plain, /FAILED: 1 check result failed/);
    assert.ok(!plain.includes(ESC), "no colour without a terminal");
    const verbose = renderText(mixedReport(), makeStyle(false), { failed: true, verbose: true });
    assert.match(verbose, /✓ sn-1: no rule accepts SSH/);
    assert.ok(renderText(mixedReport(), makeStyle(true), { failed: true, verbose: false }).includes(`${ESC}[31m✗${ESC}[39m`), "red cross in colour");
  });
});
