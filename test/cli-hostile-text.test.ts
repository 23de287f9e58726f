import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openSqliteStore } from "../src/store/index.ts";
import { runCli, simConfig, tempProject, type CliResult } from "./helpers/cli.ts";
import { startCheckedSim, type CheckedSim } from "./helpers/sim.ts";

/**
 * Issue 12, item 6: provider data is hostile input. Instances whose labels carry terminal escapes,
 * line breaks, bidi overrides, NUL and 10 KB go through `firewall plan`, `drift`, `status`, text
 * `audit` and `audit --format md`: no raw control byte reaches the output, a label cannot add or
 * erase a line, and ordinary non-Latin text is shown as it is.
 */

const HOSTILE = {
  osc: "evil\u001b]0;PWNED\u0007\u001b[2J\u001b[31mRED",
  crlf: "crlf\r\n  ~ attach      forged-line\r",
  bidi: "bidi\u202egnp.exe\u2066x\u2069",
  nul: "nul\u0000byte\u007f\u009b31m",
  markdown: "md|*bold*_[link](http://evil.example)`code`<b>#1",
  big: `big-${"A".repeat(10_240)}`,
  fine: "узел-1 🚀 東京 مرحبا",
} as const;
const LABELS = Object.values(HOSTILE);

/** Any C0 control but tab and line feed, DEL, any C1 control, and the bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- finding them is the test
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

function assertNoRawControl(r: CliResult, what: string): void {
  for (const [stream, text] of [["stdout", r.stdout], ["stderr", r.stderr]] as const) {
    const m = RAW_CONTROL.exec(text);
    assert.ok(m === null, `${what}: raw U+${m?.[0].codePointAt(0)?.toString(16).padStart(4, "0")} on ${stream} near ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 30), (m?.index ?? 0) + 30))}`);
  }
}

describe("hostile provider labels at the terminal and Markdown edges", () => {
  let sim: CheckedSim;
  let project: ReturnType<typeof tempProject>;
  const ids: string[] = [];
  const cli = (args: string[]) => runCli(args, { cwd: project.dir, env: { VULTR_API_KEY: sim.apiKey }, timeoutMs: 60_000 });

  before(async () => {
    sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 0 });
    LABELS.forEach((label, n) => ids.push(sim.state.addInstance({ label, tags: ["smartnode"], main_ip: `127.0.86.${n + 1}` }).id));
    project = tempProject(simConfig(sim.url, `verify: { ports: coin, timeoutSeconds: 1 }\naudit: { stateDir: ./state }\nwatch: { database: ./watch.db }\n`));
  });
  after(async () => {
    project.cleanup();
    await sim.closeAndCheck();
  });

  it("firewall plan: one line per change, escapes made visible, Cyrillic, CJK, Arabic and emoji intact", async () => {
    const r = await cli(["firewall", "plan"]);
    assert.equal(r.code, 2, r.stderr.slice(0, 2000));
    assertNoRawControl(r, "firewall plan");
    const lines = r.stdout.split("\n");
    const attach = lines.filter((l) => l.startsWith("  ~ attach "));
    assert.equal(attach.length, LABELS.length, `one attach line per instance:\n${attach.join("\n")}`);
    const shapes = [/^Firewall group "/, /^nodeward will:$/, /^ {2}[+~-] (create group|add rule|attach|remove rule) /, /^Plan: /, /^Note: /, /^$/];
    for (const l of lines) assert.ok(shapes.some((s) => s.test(l)), `a line of the plan's own shape: ${JSON.stringify(l.slice(0, 120))}`);
    assert.ok(r.stdout.includes(String.raw`evil\e]0;PWNED\a\e[2J\e[31mRED`), "ESC and BEL shown as \\e and \\a");
    assert.ok(r.stdout.includes(String.raw`crlf\r\n  ~ attach      forged-line\r`), "CR and LF shown, on the label's own line");
    assert.ok(r.stdout.includes(HOSTILE.fine), "non-Latin scripts and emoji are shown as they are");
    assert.ok(r.stdout.includes(HOSTILE.big), "a long label is shown whole");
  });

  it("firewall plan in colour: nodeward's own colours reach the terminal, a label's escape sequences do not", async () => {
    const r = await runCli(["firewall", "plan"], { cwd: project.dir, env: { VULTR_API_KEY: sim.apiKey, NO_COLOR: "", FORCE_COLOR: "1" } });
    assert.equal(r.code, 2, r.stderr.slice(0, 2000));
    // eslint-disable-next-line no-control-regex -- finding escape sequences is the test
    const sequences = [...r.stdout.matchAll(/\u001b[^a-zA-Z]*[a-zA-Z]?/g)].map((m) => m[0]);
    assert.ok(sequences.length > 0, "colour is on");
    assert.deepEqual([...new Set(sequences)].sort(), ["\u001b[1m", "\u001b[22m", "\u001b[2m", "\u001b[32m", "\u001b[33m", "\u001b[39m"], "only the plan's own SGR codes");
    const evil = r.stdout.split("\n").find((l) => l.includes("evil"));
    assert.ok(evil?.includes(String.raw`evil\e]0;PWNED\a\e[2J\e[31mRED`), "the label's sequences are shown as text");
    assert.equal(evil?.includes("\u001b[31m"), false, "the label cannot turn its line red");
  });

  it("firewall plan --json: every label round-trips exactly, with C1 and bidi controls escaped as \\uHHHH", async () => {
    const r = await cli(["firewall", "plan", "--json"]);
    assert.equal(r.code, 2, r.stderr.slice(0, 2000));
    assertNoRawControl(r, "firewall plan --json");
    const plan = JSON.parse(r.stdout) as { changes: { kind: string; label?: string }[] };
    assert.deepEqual(plan.changes.filter((c) => c.kind === "attach").map((c) => c.label).sort(), [...LABELS].sort());
  });

  it("firewall drift: one line per finding, no raw control", async () => {
    const r = await cli(["firewall", "drift"]);
    assert.equal(r.code, 2, r.stderr.slice(0, 2000));
    assertNoRawControl(r, "firewall drift");
    const findings = r.stdout.split("\n").filter((l) => l.startsWith("  ✗ "));
    assert.equal(findings.filter((l) => l.includes("instance-unattached")).length, LABELS.length);
    assert.equal(r.stdout.split("\n").filter((l) => l.trim() !== "").length, 2 + findings.length, "the heading, the findings and the closing line, nothing else");
  });

  it("verify: one heading per node, no raw control", async () => {
    const r = await cli(["verify"]);
    assert.equal(r.code, 2, r.stderr.slice(0, 2000));
    assertNoRawControl(r, "verify");
    const heads = r.stdout.split("\n").filter((l) => /^[✓✗] /.test(l));
    assert.equal(heads.length, LABELS.length, `one heading per node:\n${heads.map((l) => l.slice(0, 100)).join("\n")}`);
    assert.ok(heads.some((l) => l === `✗ ${HOSTILE.fine}`));
    for (const l of r.stdout.split("\n")) assert.match(l, /^([✓✗] | {4}|\d+ of \d+ nodes with findings\.$|$)/, "a line of the report's own shape");
  });

  it("status: one line per node from the watch database, names from the provider, no raw control", async () => {
    const stores = openSqliteStore(join(project.dir, "watch.db"));
    try {
      const at = Date.now() - 5 * 60_000;
      await stores.nodeStates.save(ids.map((nodeId) => ({ nodeId, health: "up" as const, degraded: null, failures: 0, successes: 1, lastGoodAt: at, lastProbeAt: at, failingSince: null, incident: null })));
      const down = ids[0]!;
      const cause = "p2p rejected \u001b[1A\u001b[2K\r\n  up fake";
      await stores.nodeStates.save([{ nodeId: down, health: "down", degraded: null, failures: 3, successes: 0, lastGoodAt: at, lastProbeAt: at, failingSince: at, incident: { id: "inc-1", startedAt: at, cause, escalated: [] } }]);
      await stores.incidents.open({ id: "inc-1", nodeId: down, startedAt: at, lastGoodAt: at, cause }, { at, kind: "down", detail: cause });
    } finally {
      stores.close();
    }
    const r = await cli(["status"]);
    assert.equal(r.code, 2, r.stderr.slice(0, 2000));
    assertNoRawControl(r, "status");
    const lines = r.stdout.split("\n").filter((l) => l !== "");
    assert.equal(lines.length, LABELS.length, `one line per node:\n${lines.map((l) => l.slice(0, 100)).join("\n")}`);
    for (const l of lines) assert.match(l, /^(up {8}|DOWN {6}) .* last good probe /);
    assert.ok(r.stdout.includes(HOSTILE.fine));
    assert.ok(r.stdout.includes(String.raw`evil\e]0;PWNED\a\e[2J\e[31mRED`));
  });

  it("text audit: no raw control, a label stays on its own line", async () => {
    const r = await cli(["audit"]);
    assert.equal(r.code, 2, r.stderr.slice(0, 2000));
    assertNoRawControl(r, "audit");
    assert.ok(r.stdout.includes(HOSTILE.fine));
    assert.ok(!r.stdout.includes("forged-line\n"), "the CR/LF label cannot start a line of its own");
    assert.ok(r.stdout.split("\n").every((l) => !l.startsWith("  ~ attach")), "no line begins with the label's forged text");
  });

  it("audit --format md: table rows keep their cells, Markdown in labels is inert", async () => {
    const r = await cli(["audit", "--format", "md"]);
    assert.equal(r.code, 2, r.stderr.slice(0, 2000));
    assertNoRawControl(r, "audit --format md");
    const rows = r.stdout.split("\n").filter((l) => l.startsWith("|"));
    assert.ok(rows.length > LABELS.length);
    for (const row of rows) {
      const cells = row.replace(/\\\\/g, "").split(/(?<!\\)\|/).length - 2;
      assert.equal(cells, 5, `five cells in ${JSON.stringify(row.slice(0, 160))}`);
    }
    assert.equal(r.stdout.includes("[link](http://evil.example)"), false, "no live link");
    assert.equal(r.stdout.includes("*bold*"), false, "no emphasis");
    assert.equal(r.stdout.includes("`code`"), false, "no code span");
    assert.equal(r.stdout.includes("<b>"), false, "no HTML");
    assert.ok(r.stdout.includes(String.raw`md\|\*bold\*\_\[link\]\(http://evil.example\)\`code\`&lt;b&gt;\#1`), "the label, escaped");
    assert.ok(r.stdout.includes(HOSTILE.fine));
  });
});
