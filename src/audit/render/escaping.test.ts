import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { auditChecks } from "../checks/index.ts";
import type { CheckResult } from "../model.ts";
import { buildReport, type AuditReport } from "../report.ts";
import { makeStyle } from "../../core/style.ts";
import { renderHtml } from "./html.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderText } from "./text.ts";

/** A node label with terminal escapes, a line break, a bidi override, Markdown and markup, and text that must stay. */
const LABEL = `evil\u001b]0;PWNED\u0007\u001b[2J\u001b[31mRED\r\n| fake | row |\u202egnp.exe *b* [l](http://x.example) <script>alert(1)</script> узел 🚀`;
// eslint-disable-next-line no-control-regex -- finding controls is the test
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function report(): AuditReport {
  const results: CheckResult[] = [
    { id: "firewall.attached", step: "cloud-firewall", title: "Every node on the policy group", node: LABEL, status: "fail", evidence: `instance ${LABEL} is attached to no firewall group`, fix: "run `nodeward firewall apply`" },
    { id: "firewall.attached", step: "cloud-firewall", title: "Every node on the policy group", node: "sn-2", status: "pass", evidence: "on the group" },
  ];
  const config = { file: `/etc/${LABEL}.yaml`, provider: "vultr", coin: "smartcash", nodes: "tags smartnode", firewallGroup: `"${LABEL}"`, ports: "tcp 9678", adminAccess: [], staticHosts: 0 };
  return buildReport({ checks: auditChecks, results, generatedAt: Date.parse("2026-11-26T05:00:00Z"), version: "0.1.0", config });
}

describe("audit reports with a hostile node label", () => {
  it("text: no raw control, the label stays on its line", () => {
    const text = renderText(report(), makeStyle(false), { failed: true, verbose: true });
    assert.doesNotMatch(text, RAW);
    const lines = text.split("\n").filter((l) => l.includes("evil"));
    assert.equal(lines.length, 1, "one line holds the node and its evidence, nothing split off");
    assert.equal(lines[0]!.split("evil").length - 1, 2, "the label as node and in the evidence");
    assert.ok(lines[0]!.includes(String.raw`evil\e]0;PWNED\a\e[2J\e[31mRED\r\n| fake | row |\u202egnp.exe`));
    assert.ok(text.includes("узел 🚀"));
  });

  it("Markdown: every row has its five cells, and the label neither formats, links nor opens a tag", () => {
    const md = renderMarkdown(report(), { failed: true });
    assert.doesNotMatch(md, RAW);
    for (const row of md.split("\n").filter((l) => l.startsWith("|"))) assert.equal(row.replace(/\\\\/g, "").split(/(?<!\\)\|/).length - 2, 5, row.slice(0, 120));
    assert.equal(/(?<!\\)\*b(?<!\\)\*/.test(md), false, "no emphasis");
    assert.equal(md.includes("[l](http"), false, "no link");
    assert.equal(md.includes("<script>"), false, "no tag");
    assert.ok(md.includes(String.raw`\[l\]\(http://x.example\) &lt;script&gt;alert\(1\)&lt;/script&gt; узел 🚀`));
    assert.ok(md.includes("run `nodeward firewall apply`") === false && md.includes("run \\`nodeward firewall apply\\`"), "fixes are escaped too");
  });

  it("HTML: markup escaped, controls shown, nothing raw", () => {
    const page = renderHtml(report(), { failed: true });
    assert.doesNotMatch(page, RAW);
    assert.equal(page.includes("<script>alert"), false);
    assert.ok(page.includes(String.raw`evil\e]0;PWNED\a\e[2J\e[31mRED\r\n| fake | row |\u202egnp.exe *b* [l](http://x.example) &lt;script&gt;alert(1)&lt;/script&gt; узел 🚀`));
  });
});
