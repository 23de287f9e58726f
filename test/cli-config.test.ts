import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, readFileSync } from "node:fs";
import { runCli, tempProject } from "./helpers/cli.ts";

const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at .+:\d+:\d+/, "no stack trace");

describe("nodeward config on the command line", () => {
  it("prints help listing every command", async () => {
    const r = await runCli(["--help"]);
    assert.equal(r.code, 0);
    for (const c of ["init", "config", "firewall", "sim", "demo"]) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
  });

  it("writes a starter that passes config check, and will not overwrite it", async () => {
    const p = tempProject();
    try {
      const init = await runCli(["init"], { cwd: p.dir });
      assert.equal(init.code, 0, init.stderr);
      assert.match(readFileSync(p.file, "utf8"), /coin: smartcash/);
      const check = await runCli(["config", "check"], { cwd: p.dir });
      assert.equal(check.code, 0, check.stderr);
      assert.match(check.stdout, /is valid/);
      const again = await runCli(["init"], { cwd: p.dir });
      assert.equal(again.code, 1);
      assert.match(again.stderr, /exists|--force/);
    } finally {
      p.cleanup();
    }
  });

  it("reports every problem at once with its line, exit 3, no stack trace", async () => {
    const p = tempProject(`version: 1
coin: smartcahs
nodes:
  tags: [smartnode]
firewall:
  descripton: x
  adminAccess:
    - cidr: 10.0.0.1/8
      port: 70000
`);
    try {
      const r = await runCli(["config", "check"], { cwd: p.dir });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /nodeward\.yaml:2:\d+\s+coin/);
      assert.match(r.stderr, /nodeward\.yaml:6:\d+\s+firewall\.descripton.*description/);
      assert.match(r.stderr, /nodeward\.yaml:8:\d+\s+firewall\.adminAccess\[0\]\.cidr/);
      assert.match(r.stderr, /nodeward\.yaml:9:\d+\s+firewall\.adminAccess\[0\]\.port/);
      noStack(r.stderr);
    } finally {
      p.cleanup();
    }
  });

  it("refuses port 99999 wherever a port is written, each at its line, exit 3", async () => {
    const p = tempProject(`version: 1
coin: smartcash
nodes:
  tags: [smartnode]
verify:
  ports: "22,99999"
watch:
  listen: 127.0.0.1:99999
  selfCheck: ["api.vultr.com:99999"]
lockdown:
  sshPort: 99999
`);
    try {
      const r = await runCli(["config", "check"], { cwd: p.dir });
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.match(r.stderr, /nodeward\.yaml:6:\d+\s+verify\.ports\s+"99999": 99999 is not a TCP port; ports are 1–65535/);
      assert.match(r.stderr, /nodeward\.yaml:8:\d+\s+watch\.listen\s+"127\.0\.0\.1:99999": port 99999 is out of range 1–65535/);
      assert.match(r.stderr, /nodeward\.yaml:9:\d+\s+watch\.selfCheck\[0\]\s+"api\.vultr\.com:99999": port 99999 is out of range 1–65535/);
      assert.match(r.stderr, /nodeward\.yaml:11:\d+\s+lockdown\.sshPort\s+port 99999 is out of range 1–65535/);
      assert.doesNotMatch(r.stdout, /is valid/);
      noStack(r.stderr);
    } finally {
      p.cleanup();
    }
  });

  it("warns once, in config check and in any command that loads the file, when a readable config holds inline secrets", async () => {
    const p = tempProject(`version: 1
coin: smartcash
nodes:
  tags: [smartnode]
alerts:
  channels:
    - type: webhook
      name: pager
      url: https://hooks.example.com/hook/Zq81KpTOKEN
      secret: whsec-Sign1ngKey
`);
    try {
      chmodSync(p.file, 0o644);
      for (const args of [["config", "check"], ["wallet", "list", "wallet.dat", "--to", p.dir]]) {
        const r = await runCli(args, { cwd: p.dir });
        assert.equal(r.code, 0, r.stderr);
        const warnings = r.stderr.match(/holds secrets inline/g) ?? [];
        assert.equal(warnings.length, 1, r.stderr);
        assert.match(r.stderr, /nodeward\.yaml:9:\d+ +group or others can read this file \(mode 644\), and it holds secrets inline at alerts\.channels\[0\]\.url, alerts\.channels\[0\]\.secret: run chmod 600 \S+nodeward\.yaml/);
        assert.ok(!(r.stderr + r.stdout).includes("Zq81KpTOKEN") && !(r.stderr + r.stdout).includes("Sign1ngKey"), "no secret value shown");
      }
      chmodSync(p.file, 0o600);
      const quiet = await runCli(["config", "check"], { cwd: p.dir });
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.doesNotMatch(quiet.stderr, /inline/);
    } finally {
      p.cleanup();
    }
  });

  it("reports malformed YAML with its line, exit 3", async () => {
    const p = tempProject("version: 1\ncoin: [smartcash\nnodes: {}\n");
    try {
      const r = await runCli(["config", "check"], { cwd: p.dir });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /nodeward\.yaml:\d+:\d+/);
      noStack(r.stderr);
    } finally {
      p.cleanup();
    }
  });

  it("reports wrong types, exit 3", async () => {
    const p = tempProject("version: 1\ncoin: smartcash\nnodes:\n  tags: smartnode\nfirewall:\n  icmp: 'yes'\n");
    try {
      const r = await runCli(["config", "check"], { cwd: p.dir });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /nodes\.tags/);
      assert.match(r.stderr, /firewall\.icmp/);
    } finally {
      p.cleanup();
    }
  });

  it("says how to start when there is no config file, exit 3", async () => {
    const p = tempProject();
    try {
      const r = await runCli(["firewall", "plan"], { cwd: p.dir });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /nodeward init/);
      noStack(r.stderr);
    } finally {
      p.cleanup();
    }
  });

  it("refuses an unknown command with usage, exit 1", async () => {
    const r = await runCli(["firewal", "plan"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown command/i);
  });
});
