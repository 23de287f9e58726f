import { describe, it } from "node:test";
import { spawn, spawnSync } from "node:child_process";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { findCoin } from "../src/coins/index.ts";
import { systemClock } from "../src/core/clock.ts";
import { applyPlan } from "../src/firewall/apply.ts";
import { preparePlan } from "../src/firewall/prepare.ts";
import { p2pParamsFor } from "../src/p2p/index.ts";
import { seedFleet } from "../src/sim/seed.ts";
import { startSimulatedNode } from "../src/sim/smartnode/index.ts";
import { startWorld } from "../src/sim/world/world.ts";
import { runCli, simConfig, tempProject } from "./helpers/cli.ts";
import { providerFor, smartnodeRequest } from "./helpers/firewall.ts";
import { requireNetns } from "./helpers/netns.ts";
import { startCheckedSim } from "./helpers/sim.ts";
import { checkHtml } from "./helpers/html-wellformed.ts";

const smartcash = findCoin("smartcash")!;
const ajv = new Ajv2020({ allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(new URL("../schema/audit-report.schema.json", import.meta.url), "utf8")) as object);

interface AuditJson {
  ok: boolean;
  exitCode: number;
  counts: Record<string, number>;
  results: { id: string; node: string | null; status: string; evidence: string; fix: string | null }[];
}
const parse = (stdout: string): AuditJson => {
  const json = JSON.parse(stdout) as AuditJson;
  assert.ok(validate(json), JSON.stringify(validate.errors));
  return json;
};
const statusOf = (j: AuditJson, id: string) => [...new Set(j.results.filter((r) => r.id === id).map((r) => r.status))];

describe("nodeward audit (CLI)", () => {
  it("exits 2 on an exposed fleet, with every firewall failure in the JSON report", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    seedFleet(sim.state, { count: 3, seed: 8, tags: ["smartnode"], ipv6Fraction: 0.5, permissiveFraction: 0.5, noGroupFraction: 0.5 });
    const p = tempProject(simConfig(sim.url, 'verify: { ports: coin, timeoutSeconds: 1 }\n'));
    try {
      const r = await runCli(["audit", "--json"], { cwd: p.dir, env: { VULTR_API_KEY: sim.apiKey } });
      assert.equal(r.code, 2, r.stderr);
      const j = parse(r.stdout);
      assert.equal(j.ok, false);
      assert.equal(j.exitCode, 2);
      for (const id of ["firewall.group", "firewall.rules", "firewall.ssh", "firewall.attached", "firewall.ipv6"]) assert.deepEqual(statusOf(j, id), ["fail"], id);
      assert.deepEqual(statusOf(j, "host.rpc"), ["cannot-check"]);
      assert.ok(!r.stdout.includes(sim.apiKey) && !r.stderr.includes(sim.apiKey), "the API key never appears");

      const text = await runCli(["audit"], { cwd: p.dir, env: { VULTR_API_KEY: sim.apiKey } });
      assert.equal(text.code, 2);
      assert.match(text.stdout, /✗ 1\. Cloud firewall/);
      assert.match(text.stdout, /fix: run `nodeward firewall apply`/);
      assert.match(text.stdout, /FAILED: \d+ check results failed/);
    } finally {
      p.cleanup();
      await sim.closeAndCheck();
    }
  });

  it("exits 0 when nothing fails, 2 with --strict while items cannot be checked; records --attest-2fa; writes --out files", async () => {
    const sim = await startCheckedSim({ rateLimitPerSecond: false });
    seedFleet(sim.state, { count: 1, seed: 1, tags: ["other"] });
    const node = await startSimulatedNode({ host: "127.0.0.83", p2pPort: 9678, sapiPort: 8080, params: p2pParamsFor(smartcash)!, height: 42 });
    const p = tempProject(simConfig(sim.url, 'verify: { ports: coin, timeoutSeconds: 1 }\naudit: { stateDir: ./state }\nhosts:\n  - { name: home, addresses: [127.0.0.83] }\n').replace("tags: [smartnode]", "tags: [nothing]"));
    const env = { VULTR_API_KEY: sim.apiKey };
    try {
      const r = await runCli(["audit", "--json", "--attest-2fa"], { cwd: p.dir, env });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const j = parse(r.stdout);
      assert.deepEqual(statusOf(j, "outside.ports"), ["pass"]);
      assert.deepEqual(statusOf(j, "outside.handshake"), ["pass"]);
      assert.deepEqual(statusOf(j, "firewall.group"), ["cannot-check"], "nodes select nothing");
      assert.deepEqual(statusOf(j, "account.2fa"), ["pass"]);
      assert.deepEqual(statusOf(j, "account.api-key"), ["attention"]);
      const saved = JSON.parse(readFileSync(join(p.dir, "state", "attestations.json"), "utf8")) as { attestations: Record<string, { answer: string; at: string; via: string }> };
      assert.equal(saved.attestations["vultr-2fa"]?.answer, "yes");
      assert.equal(saved.attestations["vultr-2fa"]?.via, "flag");
      assert.ok(Math.abs(Date.parse(saved.attestations["vultr-2fa"]!.at) - Date.now()) < 60_000);

      const again = await runCli(["audit", "--json"], { cwd: p.dir, env });
      assert.deepEqual(statusOf(parse(again.stdout), "account.2fa"), ["pass"], "the attestation is remembered");

      const strict = await runCli(["audit", "--strict", "--format", "md", "--out", "report.md"], { cwd: p.dir, env });
      assert.equal(strict.code, 2, strict.stderr);
      assert.equal(strict.stdout, "");
      assert.match(strict.stderr, /Wrote the md report to .*report\.md/);
      const md = readFileSync(join(p.dir, "report.md"), "utf8");
      assert.match(md, /FAILED \(--strict/);

      const html = await runCli(["audit", "--format", "html", "--out", "report.html"], { cwd: p.dir, env });
      assert.equal(html.code, 0, html.stderr);
      const page = readFileSync(join(p.dir, "report.html"), "utf8");
      assert.deepEqual(checkHtml(page).problems, []);
      assert.ok(page.includes("outside.sapi") && page.includes("home"));
    } finally {
      p.cleanup();
      await node.close();
      await sim.closeAndCheck();
    }
  });

  it("treats an unreachable provider as cannot check (exit 0), bad flags as errors (1) and a bad config as 3", async () => {
    const p = tempProject("version: 1\nprovider: { type: vultr, baseUrl: \"http://127.0.0.1:9\", timeoutSeconds: 1 }\ncoin: smartcash\nnodes: { tags: [smartnode] }\n");
    try {
      const r = await runCli(["audit", "--json"], { cwd: p.dir, env: { VULTR_API_KEY: "k".repeat(36) }, timeoutMs: 60_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const j = parse(r.stdout);
      assert.deepEqual(statusOf(j, "firewall.group"), ["cannot-check"]);
      assert.deepEqual(statusOf(j, "outside.ports"), ["cannot-check"]);
      assert.equal(j.counts.fail, 0);
      const noKey = await runCli(["audit", "--json"], { cwd: p.dir });
      assert.equal(noKey.code, 0, noKey.stderr);
      assert.match(parse(noKey.stdout).results.find((x) => x.id === "firewall.group")?.evidence ?? "", /VULTR_API_KEY/);

      const badFormat = await runCli(["audit", "--format", "pdf"], { cwd: p.dir });
      assert.equal(badFormat.code, 1);
      assert.match(badFormat.stderr, /--format must be one of text, json, md, html/);
      const clash = await runCli(["audit", "--json", "--format", "md"], { cwd: p.dir });
      assert.equal(clash.code, 1);
      const badOut = await runCli(["audit", "--out", join(p.dir, "missing-dir", "r.txt")], { cwd: p.dir });
      assert.equal(badOut.code, 1);
      assert.match(badOut.stderr, /cannot write the report/);
    } finally {
      p.cleanup();
    }
    const bad = tempProject("version: 1\ncoin: smartcash\nnodes: { tags: [x] }\naudit: { attestationMaxAgeDays: 0 }\n");
    try {
      const r = await runCli(["audit"], { cwd: bad.dir });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /audit\.attestationMaxAgeDays/);
    } finally {
      bad.cleanup();
    }
  });

  it("asks on a terminal, once, and records each answer with its date", async (t) => {
    if (spawnSync("script", ["--version"], { stdio: "ignore" }).status !== 0) {
      if (process.env.CI === "true") assert.fail("CI must run the terminal test, but util-linux `script` is missing");
      t.skip("needs util-linux `script` for a pseudo-terminal");
      return;
    }
    const p = tempProject("version: 1\ncoin: smartcash\nnodes: { tags: [smartnode] }\naudit: { stateDir: ./state }\n");
    try {
      const first = await onTty(p.dir, ["y", "n"]);
      assert.equal(first.code, 2, first.output);
      assert.match(first.output, /two-factor authentication on for every user[\s\S]*\[y\/N\][\s\S]*API key[\s\S]*\[y\/N\]/);
      const saved = JSON.parse(readFileSync(join(p.dir, "state", "attestations.json"), "utf8")) as { attestations: Record<string, { answer: string; via: string }> };
      assert.deepEqual(Object.fromEntries(Object.entries(saved.attestations).map(([k, v]) => [k, [v.answer, v.via]])), { "vultr-2fa": ["yes", "prompt"], "api-key-scope": ["no", "prompt"] });
      assert.match(first.output, /✗ API key limited .*answered "no"/);
      const second = await onTty(p.dir, ["y"]);
      assert.equal(second.code, 0, second.output);
      assert.doesNotMatch(second.output, /two-factor authentication on for every user/, "a fresh yes is not asked again");
      assert.match(second.output, /API key[\s\S]*\[y\/N\]/, "a no is asked again");
    } finally {
      p.cleanup();
    }
  });

  it("fails the exposed fleet and passes it once hardened, through a real packet filter, IPv4 and IPv6", async (t) => {
    if (!(await requireNetns(t))) return;
    const sim = await startCheckedSim({ rateLimitPerSecond: false, attachDelayMs: 50 });
    seedFleet(sim.state, { count: 3, seed: 8, tags: ["smartnode"], ipv6Fraction: 0.5, permissiveFraction: 0.5, noGroupFraction: 0.5 });
    const world = await startWorld({ state: sim.state, coin: smartcash });
    const p = tempProject(simConfig(sim.url, 'verify: { ports: "22,80,9679", timeoutSeconds: 2 }\n'));
    const env = { VULTR_API_KEY: sim.apiKey };
    try {
      await world.synced();
      const before = parse((await runCli(["audit", "--json"], { cwd: p.dir, env })).stdout);
      assert.equal(before.exitCode, 2);
      assert.ok(statusOf(before, "outside.filtered").includes("fail"), "unprotected nodes answer RST");
      assert.ok(statusOf(before, "outside.ports").includes("fail"), "SSH answers and SAPI is blocked");

      const provider = providerFor(sim, { maxRequestsPerSecond: 500 });
      await applyPlan(await preparePlan(provider, smartnodeRequest()), { provider, clock: systemClock, attachConcurrency: 4, attachTimeoutMs: 10_000, pollIntervalMs: 50 });
      await world.synced();
      const r = await runCli(["audit", "--json"], { cwd: p.dir, env });
      const after = parse(r.stdout);
      assert.equal(r.code, 0, JSON.stringify(after.results.filter((x) => x.status === "fail")));
      for (const id of ["firewall.group", "firewall.rules", "firewall.ssh", "firewall.attached", "firewall.ipv6", "outside.ports", "outside.filtered", "outside.handshake", "outside.sapi"]) {
        assert.deepEqual(statusOf(after, id), ["pass"], id);
      }
      const filtered = after.results.filter((x) => x.id === "outside.filtered");
      assert.ok(filtered.some((x) => /:.*: 3 of 5 scanned ports filtered, none closed/.test(x.evidence)), "an IPv6 address was checked too");
      assert.equal(existsSync(join(p.dir, ".local", "share", "nodeward", "nodeward.db")), false, "no watch database is created");
    } finally {
      p.cleanup();
      await world.close();
      await sim.closeAndCheck();
    }
  });
});

/** `nodeward audit` on a pseudo-terminal (util-linux `script`), typing one answer per "[y/N]" prompt. */
function onTty(cwd: string, answers: readonly string[]): Promise<{ code: number | null; output: string }> {
  const bin = new URL("../bin/nodeward.js", import.meta.url).pathname;
  return new Promise((resolve, reject) => {
    const queue = [...answers];
    const child = spawn("script", ["-qfec", `'${process.execPath}' '${bin}' audit`, "/dev/null"], { cwd, env: { PATH: process.env.PATH, HOME: cwd, NO_COLOR: "1", TERM: "dumb" }, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    let pending = "";
    child.stdout.on("data", (d: Buffer) => {
      output += d.toString();
      pending += d.toString();
      if (queue.length > 0 && /\[y\/N\] $/.test(pending)) {
        child.stdin.write(`${queue.shift()}\r`);
        pending = "";
      }
    });
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
