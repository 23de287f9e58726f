import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { seedFleet } from "../src/sim/seed.ts";
import { startCheckedSim } from "./helpers/sim.ts";
import { runCli, simConfig, tempProject } from "./helpers/cli.ts";

type CheckedSim = Awaited<ReturnType<typeof startCheckedSim>>;

describe("nodeward firewall on the command line, against the simulator", () => {
  let sim: CheckedSim;
  let project: ReturnType<typeof tempProject>;
  const outputs: string[] = [];
  const cli = async (args: string[], env: NodeJS.ProcessEnv = { VULTR_API_KEY: sim.apiKey }, cwd = project.dir) => {
    const r = await runCli(args, { cwd, env });
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  before(async () => {
    sim = await startCheckedSim({ attachDelayMs: 100 });
    seedFleet(sim.state, { count: 6, seed: 5, tags: ["smartnode"], ipv6Fraction: 0.5 });
    project = tempProject(simConfig(sim.url));
  });
  after(async () => {
    project.cleanup();
    await sim.closeAndCheck();
    const all = outputs.join("\n");
    assert.equal(all.includes(sim.apiKey), false, "the API key never appears in any output");
  });

  it("plans changes with exit 2 and a stable JSON shape", async () => {
    const r = await cli(["firewall", "plan", "--json"]);
    assert.equal(r.code, 2, r.stderr);
    const plan = JSON.parse(r.stdout) as { groupId: null; selected: number; changes: { kind: string }[]; summary: Record<string, number> };
    assert.equal(plan.groupId, null);
    assert.equal(plan.selected, 6);
    assert.equal(plan.summary.attach, 6);
    assert.equal(plan.changes[0]?.kind, "create-group");
  });

  it("logs each API call with --verbose, and warns that SSH will stop reaching the nodes", async () => {
    const r = await cli(["firewall", "plan", "--verbose"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /api GET \/instances\?per_page=500 → 200 in \d+ ms/);
    assert.match(r.stdout, /Note: after apply, SSH \(tcp 22\) no longer reaches the 6 instances/);
  });

  it("will not apply without --yes when stdin is not a terminal, and changes nothing", async () => {
    const writes = sim.stats().writes;
    const r = await cli(["firewall", "apply"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--yes/);
    assert.equal(sim.stats().writes, writes);
  });

  it("applies with --yes, then plans nothing (exit 0) and drift is clean", async () => {
    const a = await cli(["firewall", "apply", "--yes"]);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /matches the policy/);
    const p = await cli(["firewall", "plan"]);
    assert.equal(p.code, 0);
    assert.match(p.stdout, /No changes/);
    const d = await cli(["firewall", "drift"]);
    assert.equal(d.code, 0);
  });

  it("names an SSH rule added outside nodeward as drift, exit 2", async () => {
    const group = sim.state.groups().find((g) => g.description === "SmartNodes Only");
    assert.ok(group);
    assert.ok(sim.state.addRule(group.id, { ip_type: "v4", protocol: "tcp", port: "22", subnet: "0.0.0.0", subnet_size: 0 }).ok);
    const d = await cli(["firewall", "drift"]);
    assert.equal(d.code, 2);
    assert.match(d.stdout, /rule-extra .*tcp 22 from 0\.0\.0\.0\/0 \(v4\).*whole Internet/);
    const j = await cli(["firewall", "drift", "--json"]);
    const findings = (JSON.parse(j.stdout) as { findings: { kind: string }[] }).findings;
    assert.deepEqual(findings.map((f) => f.kind), ["rule-extra"]);
  });

  it("says clearly when no instance matches, exit 1", async () => {
    const p = tempProject(simConfig(sim.url).replace("tags: [smartnode]", "tags: [nothing-has-this]"));
    try {
      const r = await cli(["firewall", "plan"], undefined, p.dir);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /no instance matches nodes \(tags nothing-has-this\)/);
    } finally {
      p.cleanup();
    }
  });

  it("explains a rejected API key without printing it, exit 1", async () => {
    const r = await cli(["firewall", "plan", "--verbose"], { VULTR_API_KEY: "WRONGKEY-0123456789abcdef-0123456789" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /check VULTR_API_KEY, its permissions, and the key's allowed IP list/);
    assert.equal(r.stderr.includes("WRONGKEY-0123456789abcdef-0123456789"), false);
  });

  it("asks for a key when none is set, exit 1", async () => {
    const r = await cli(["firewall", "plan"], {});
    assert.equal(r.code, 1);
    assert.match(r.stderr, /VULTR_API_KEY/);
  });
});

describe("nodeward firewall against a broken API", () => {
  it("reports garbage JSON as a bad response, exit 1, no stack trace", async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("<html>gateway says hello</html>");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const p = tempProject(simConfig(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`));
    try {
      const r = await runCli(["firewall", "plan"], { cwd: p.dir, env: { VULTR_API_KEY: "SOMEKEY-abcdefghijklmnop" } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /not JSON|bad response|unexpected/i);
      assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/);
    } finally {
      p.cleanup();
      server.close();
    }
  });

  it("reports an unreachable API quickly, exit 1", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const p = tempProject(simConfig(`http://127.0.0.1:${port}/v2`));
    try {
      const started = Date.now();
      const r = await runCli(["firewall", "drift"], { cwd: p.dir, env: { VULTR_API_KEY: "SOMEKEY-abcdefghijklmnop" } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /cannot reach the Vultr API/);
      assert.ok(Date.now() - started < 15_000);
    } finally {
      p.cleanup();
    }
  });
});
