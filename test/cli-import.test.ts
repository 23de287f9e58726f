import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseConfigText } from "../src/config/load.ts";
import { seedFleet } from "../src/sim/seed.ts";
import type { SimInstance } from "../src/sim/model.ts";
import { startCheckedSim, type CheckedSim } from "./helpers/sim.ts";
import { runCli, simConfig, tempProject, type CliResult } from "./helpers/cli.ts";

/** Recognisable fake SmartNode keys: they must appear in no output, no error, no written file. */
const KEY = "7sFAKEsmartnodeKEYneverPRINTEDxxQq1Yc1K64xiqgX37tGB";
const keyOf = (n: number) => `${KEY}${n}`;
const TX: readonly [string, string, string] = ["2bcd3c84c84f87eaa86e4e56834c92927a07f9e18718810b92e0d0324456a67c", "4e2a7d4bd1c0d7a0f6c4b1e0a5e7b7f0d3c2b1a09f8e7d6c5b4a39281706f9f1", "9f0e1d2c3b4a59687766554433221100ffeeddccbbaa99887766554433221100"];

const HOST = "127.0.0.88";
/** A config with comments, aligned like the starter, and a static host. */
const config = (url: string, extra = "") => `${simConfig(url)}hosts:                             # nodes outside Vultr
  - name: home-node
    addresses: [${HOST}]
# keep this comment: it must survive the import
verify: {ports: coin}              # aligned comment
${extra}`;

function assertNoKey(where: string, text: string): void {
  assert.ok(!text.includes(KEY), `a SmartNode key reached ${where}:\n${text}`);
}
function assertNoKeyIn(r: CliResult): void {
  assertNoKey("stdout", r.stdout);
  assertNoKey("stderr", r.stderr);
}

describe("nodeward import smartnode.conf", () => {
  let sim: CheckedSim;
  let fleet: SimInstance[];
  let other: SimInstance;
  let conf: string;

  before(async () => {
    sim = await startCheckedSim({ rateLimitPerSecond: false });
    seedFleet(sim.state, { count: 3, seed: 4, tags: ["smartnode"], ipv6Fraction: 1 });
    seedFleet(sim.state, { count: 1, seed: 5, tags: ["other"], ipv6Fraction: 0 });
    fleet = sim.state.instances().filter((i) => i.tags.includes("smartnode"));
    other = sim.state.instances().find((i) => i.tags.includes("other"))!;
    assert.equal(fleet.length, 3);
    const [a, b] = fleet as [SimInstance, SimInstance];
    conf = [
      "# Smartnode config file",
      "# Format: alias IP:port smartnodeprivkey collateral_output_txid collateral_output_index",
      `sn1 ${a.main_ip}:9678 ${keyOf(1)} ${TX[0]} 0`,
      `sn2\t[${b.v6_main_ip}]:9678\t${keyOf(2)}\t${TX[0]}\t1\r`,
      `home ${HOST}:9678 ${keyOf(3)} ${TX[1]} 0`,
      `elsewhere ${other.main_ip}:9678 ${keyOf(4)} ${TX[1]} 1`,
      `stray 192.0.2.50:9678 ${keyOf(5)} ${TX[2]} 0`,
      "",
    ].join("\n");
  });
  after(async () => {
    await sim.closeAndCheck();
  });

  const run = (dir: string, args: string[]) => runCli(args, { cwd: dir, env: { VULTR_API_KEY: sim.apiKey } });

  it("prints the smartnodes block, matched by IP to instances and static hosts, and names what matches nothing", async () => {
    const p = tempProject(config(sim.url));
    try {
      writeFileSync(join(p.dir, "smartnode.conf"), conf);
      const r = await run(p.dir, ["import", "smartnode.conf", "smartnode.conf"]);
      assert.equal(r.code, 0, r.stderr);
      assertNoKeyIn(r);
      const block = parse(r.stdout) as { smartnodes: { alias: string; address: string; txid: string; index: number }[] };
      assert.deepEqual(block.smartnodes.map((e) => [e.alias, e.txid, e.index]), [["sn1", TX[0], 0], ["sn2", TX[0], 1], ["home", TX[1], 0], ["elsewhere", TX[1], 1], ["stray", TX[2], 0]]);
      assert.deepEqual(parseConfigText(config(sim.url, r.stdout), "x").config.smartnodes, block.smartnodes, "the block pastes into nodeward.yaml as it is");
      assert.match(r.stdout, /# nodeward import: 192\.0\.2\.50 is no selected instance or static host \(yet\)\n {2}- alias: stray/);
      assert.match(r.stderr, new RegExp(`sn1 → ${fleet[0]!.label} \\(instance `));
      assert.match(r.stderr, /home → home-node \(static host 127\.0\.0\.88\)/);
      assert.match(r.stderr, new RegExp(`warning: elsewhere \\(${other.main_ip.replaceAll(".", "\\.")}:9678, line 6\\) matches no selected instance or static host`));
      assert.match(r.stderr, /warning: stray \(192\.0\.2\.50:9678, line 7\) matches no selected instance/);
      assert.match(r.stderr, new RegExp(`warning: 1 watched node without a smartnodes entry .*: ${fleet[2]!.label} \\(instance`));

      const j = await run(p.dir, ["import", "smartnode.conf", "smartnode.conf", "--json"]);
      assert.equal(j.code, 0, j.stderr);
      assertNoKeyIn(j);
      const out = JSON.parse(j.stdout) as { entries: { alias: string; line: number; node: { name: string; source: string; id?: string } | null }[]; nodesWithoutEntry: { name: string }[]; written: string | null };
      assert.deepEqual(out.entries.map((e) => [e.alias, e.line, e.node?.name ?? null, e.node?.source ?? null]), [
        ["sn1", 3, fleet[0]!.label, "provider"], ["sn2", 4, fleet[1]!.label, "provider"], ["home", 5, "home-node", "static"], ["elsewhere", 6, null, null], ["stray", 7, null, null],
      ]);
      assert.equal(out.entries[0]?.node?.id, fleet[0]!.id);
      assert.deepEqual(out.nodesWithoutEntry.map((n) => n.name), [fleet[2]!.label]);
      assert.equal(out.written, null);
    } finally {
      p.cleanup();
    }
  });

  it("--write updates nodeward.yaml in place: comments, layout and mode kept, same aliases replaced, others kept, no key", async () => {
    const kept = `smartnodes:                        # from the wallet
  - alias: old-node                # retired, still paid out
    address: 198.51.100.1:9678
    txid: ${TX[2].replace(/^9/, "8")}
    index: 3
  - alias: sn1
    address: 198.51.100.2:9678
    txid: ${TX[2].replace(/^9/, "7")}
    index: 0
`;
    const p = tempProject(config(sim.url, kept));
    try {
      chmodSync(p.file, 0o640);
      writeFileSync(join(p.dir, "smartnode.conf"), conf);
      const beforeText = readFileSync(p.file, "utf8");
      const r = await run(p.dir, ["import", "smartnode.conf", "smartnode.conf", "--write"]);
      assert.equal(r.code, 0, r.stderr);
      assertNoKeyIn(r);
      assert.match(r.stdout, /Updated .*nodeward\.yaml: 4 added, 1 replaced, 1 kept\./);
      const text = readFileSync(p.file, "utf8");
      assertNoKey("nodeward.yaml", text);
      assert.equal(statSync(p.file).mode & 0o777, 0o640, "the file keeps its mode");
      const untouched = beforeText.slice(0, beforeText.indexOf("smartnodes:"));
      assert.ok(text.startsWith(untouched), "everything above smartnodes is byte for byte the same");
      assert.match(text, /# keep this comment: it must survive the import\nverify: \{ports: coin\} {14}# aligned comment\n/);
      assert.match(text, /smartnodes: {24}# from the wallet\n {2}- alias: old-node {16}# retired, still paid out\n/);
      const { config: written } = parseConfigText(text, p.file);
      assert.deepEqual(written.smartnodes.map((e) => [e.alias, e.address]), [
        ["old-node", "198.51.100.1:9678"],
        ["sn1", `${fleet[0]!.main_ip}:9678`],
        ["sn2", `[${fleet[1]!.v6_main_ip}]:9678`],
        ["home", `${HOST}:9678`],
        ["elsewhere", `${other.main_ip}:9678`],
        ["stray", "192.0.2.50:9678"],
      ]);
      assert.match(text, /# nodeward import: 192\.0\.2\.50 is no selected instance or static host \(yet\)\n {2}- alias: stray\n/);

      const again = await run(p.dir, ["import", "smartnode.conf", "smartnode.conf", "--write"]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /0 added, 5 replaced, 1 kept/);
      assert.equal(readFileSync(p.file, "utf8"), text, "a second import changes nothing");
    } finally {
      p.cleanup();
    }
  });

  it("refuses a broken smartnode.conf with each line's number, writing nothing and printing no key (exit 1)", async () => {
    const p = tempProject(config(sim.url));
    try {
      const broken = `${conf}sn9 node.example.com:9678 ${keyOf(9)} ${TX[2]} 4\n${keyOf(10)} ${TX[2]}\n\u001b]0;evil\u0007 127.77.9.9:9678 ${keyOf(11)} ${TX[2]} 5\n${"x".repeat(10_240)} 127.77.9.8:9678 ${keyOf(12)} ${TX[2]} 6\n`;
      writeFileSync(join(p.dir, "smartnode.conf"), broken);
      const beforeText = readFileSync(p.file, "utf8");
      const r = await run(p.dir, ["import", "smartnode.conf", "smartnode.conf", "--write"]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assertNoKeyIn(r);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /smartnode\.conf: 4 lines cannot be read, nothing was imported:/);
      assert.match(r.stderr, /line 8: column 2 is not IP:port .*host name/);
      assert.match(r.stderr, /line 9: expected 5 columns .* found 2/);
      assert.match(r.stderr, /line 10: column 1 \(alias\) has an invisible or control character \(U\+001B\) at character 1/);
      assert.match(r.stderr, /line 11: column 1 \(alias\) is 10240 characters long/);
      assert.ok(!r.stderr.includes("\u001b") && !r.stderr.includes("xxxxxxxxxx"), "no part of a line is echoed");
      assert.equal(readFileSync(p.file, "utf8"), beforeText);

      const missing = await run(p.dir, ["import", "smartnode.conf", "nope.conf"]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /no file at nope\.conf/);

      const usage = await run(p.dir, ["import", "smartnode.conf"]);
      assert.equal(usage.code, 1);
      assert.match(usage.stderr, /missing required argument 'file'/);
    } finally {
      p.cleanup();
    }
  });

  it("writes nothing when a kept entry would share an IP with an imported one (exit 1), and reports an invalid config (exit 3)", async () => {
    const clash = `smartnodes:\n  - {alias: renamed, address: "${fleet[0]!.main_ip}:9678", txid: ${TX[2]}, index: 9}\n`;
    const p = tempProject(config(sim.url, clash));
    try {
      writeFileSync(join(p.dir, "smartnode.conf"), conf);
      const beforeText = readFileSync(p.file, "utf8");
      const r = await run(p.dir, ["import", "smartnode.conf", "smartnode.conf", "--write"]);
      assert.equal(r.code, 1, r.stderr);
      assertNoKeyIn(r);
      assert.match(r.stderr, /smartnodes\[0\] \(renamed\) has the IP of sn1/);
      assert.equal(readFileSync(p.file, "utf8"), beforeText);

      writeFileSync(p.file, `${beforeText}smartnodes: []\n`);
      const invalid = await run(p.dir, ["import", "smartnode.conf", "smartnode.conf", "--write"]);
      assert.equal(invalid.code, 3, invalid.stderr);
      assertNoKeyIn(invalid);
    } finally {
      p.cleanup();
    }
  });
});
