import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { parse } from "yaml";
import { createNamespace, deleteNamespace, execInNamespace, netnsAvailable, type NetnsAvailability } from "../src/sim/world/netns.ts";
import { runCli, tempProject } from "./helpers/cli.ts";
import { requireNetns } from "./helpers/netns.ts";

/** `nodeward cloud-init` and `host audit-conf` through the real CLI; the embedded ruleset checked by nft -c in a namespace. */

const CONFIG = `version: 1
coin: smartcash
nodes:
  tags: [smartnode]
firewall:
  icmp: true
  adminAccess: [{cidr: 203.0.113.7/32, port: 22}]
lockdown:
  ssh: admin-only
`;

interface Doc { write_files: { path: string; content: string }[]; runcmd: unknown[] }

describe("nodeward cloud-init", () => {
  let availability: NetnsAvailability = { ok: false, reason: "not checked" };
  const project = tempProject(CONFIG);
  const ns = `nwci${process.pid}`;
  before(async () => {
    availability = await netnsAvailable();
    if (availability.ok) await createNamespace(ns);
  });
  after(async () => {
    if (availability.ok) await deleteNamespace(ns).catch(() => undefined);
    project.cleanup();
  });

  it("prints user-data whose ruleset nft accepts, with the SSH setting", async (t) => {
    const r = await runCli(["cloud-init"], { cwd: project.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.startsWith("#cloud-config\n"));
    const doc = parse(r.stdout) as Doc;
    const nft = doc.write_files.find((f) => f.path === "/etc/nftables.d/nodeward.nft")?.content ?? "";
    assert.match(nft, /tcp dport 9678 accept/);
    assert.match(nft, /ip saddr 203\.0\.113\.7 tcp dport 22 accept/);
    assert.ok(doc.write_files.some((f) => f.path === "/etc/ssh/sshd_config.d/00-nodeward.conf"));
    const off = parse((await runCli(["cloud-init", "--ssh", "off"], { cwd: project.dir })).stdout) as Doc;
    assert.match(JSON.stringify(off.runcmd), /"disable","--now","ssh.socket","ssh.service"/);
    if (!(await requireNetns(t, availability))) return;
    await execInNamespace(ns, "nft", ["-c", "-f", "-"], { input: nft });
    await assert.rejects(execInNamespace(ns, "nft", ["-c", "-f", "-"], { input: nft.replace("policy drop", "policy sometimes") }), "nft -c does reject a broken file");
  });
});

describe("nodeward host audit-conf", () => {
  const project = tempProject(CONFIG);
  after(() => project.cleanup());

  it("flags the installer's rpcallowip without rpcbind, prints the fix, never the key, exits 2", async () => {
    const conf = `${project.dir}/smartcash.conf`;
    writeFileSync(conf, "rpcuser=x\nrpcpassword=VerySecretPassword1\nrpcallowip=127.0.0.1\nsmartnode=1\nsmartnodeprivkey=7hSecretSmartnodeKey\n");
    const r = await runCli(["host", "audit-conf", conf], { cwd: project.dir });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /rpc-all-interfaces/);
    assert.match(r.stdout, /add: +rpcbind=127\.0\.0\.1/);
    assert.doesNotMatch(r.stdout + r.stderr, /Secret/);
  });

  it("exits 0 on a clean config and 1 on a missing file", async () => {
    const conf = `${project.dir}/clean.conf`;
    writeFileSync(conf, "rpcbind=127.0.0.1\nrpcallowip=127.0.0.1\nsapi=1\nsapiport=8080\nsmartnode=1\nsmartnodeprivkey=abcdefabcdef\n");
    assert.equal((await runCli(["host", "audit-conf", conf], { cwd: project.dir })).code, 0);
    const missing = await runCli(["host", "audit-conf", `${project.dir}/nope.conf`], { cwd: project.dir });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read .*nope\.conf: ENOENT/);
  });
});
