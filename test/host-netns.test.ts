import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execInNamespace, netnsAvailable, type NetnsAvailability } from "../src/sim/world/netns.ts";
import { runCli, tempProject, type CliResult } from "./helpers/cli.ts";
import { killProcessesMentioning, openHostWorld, type HostWorld } from "./helpers/host-world.ts";
import { requireNetns } from "./helpers/netns.ts";

/**
 * `nodeward host` against a real kernel firewall: the CLI (a real child process, its nft run in the
 * "node" namespace through NODEWARD_HOST_NETNS) loads the ruleset there, and TCP connects come
 * from the "client" namespace over IPv4 and IPv6. Listeners run on the coin's ports and on ports
 * that must stay shut (22 SSH, 9679 RPC, 2222).
 */

const LISTEN = [9678, 8080, 22, 9679, 2222];

describe("host lock-down in network namespaces", () => {
  let availability: NetnsAvailability = { ok: false, reason: "not checked" };
  let w: HostWorld | undefined;
  let project: ReturnType<typeof tempProject> | undefined;
  const stateDir = () => join(project!.dir, "state");
  const persistPath = () => join(project!.dir, "etc", "nodeward.nft");

  const config = (extra: { icmp?: boolean; extraPorts?: number[] } = {}) => `version: 1
coin: smartcash
nodes:
  tags: [smartnode]
extraPorts: [${(extra.extraPorts ?? []).join(", ")}]
firewall:
  icmp: ${extra.icmp === true}
  adminAccess:
    - {cidr: ${w!.clientV4[0]}/32, port: 22}
    - {cidr: "${w!.clientV6[0]}/128", port: 22}
lockdown:
  stateDir: ${stateDir()}
  persistPath: ${persistPath()}
  systemdDropIn: ${join(project!.dir, "etc", "nodeward.conf")}
`;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
    runCli(args, { cwd: project!.dir, env: { NODEWARD_HOST_NETNS: w!.node, ...env } });
  const listing = async (): Promise<string> => {
    try {
      return (await execInNamespace(w!.node, "nft", ["list", "table", "inet", "nodeward"])).stdout;
    } catch {
      return "(none)";
    }
  };
  const waitFor = async (what: string, ok: () => Promise<boolean>, ms: number): Promise<void> => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`${what}: not within ${ms} ms`);
  };

  before(async () => {
    availability = await netnsAvailable();
    if (!availability.ok) return;
    w = await openHostWorld();
    await w.listen(LISTEN);
    project = tempProject();
    writeFileSync(project.file, config());
  });
  after(async () => {
    if (project !== undefined) killProcessesMentioning(project.dir);
    await w?.close();
    project?.cleanup();
  });

  it("plan shows the ruleset and exits 2 while nothing is loaded", async (t) => {
    if (!(await requireNetns(t, availability)) || w === undefined) return;
    const r = await cli(["host", "plan"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /table inet nodeward \{\}\ndelete table inet nodeward\n/);
    assert.match(r.stdout, /Not loaded yet/);
  });

  it("apply opens exactly the coin's ports over IPv4 and IPv6, drops the rest silently, honours the admin block", async (t) => {
    if (!(await requireNetns(t, availability)) || w === undefined) return;
    // Before: no firewall, every listener answers.
    assert.deepEqual(await w.probe(LISTEN.map((port) => ({ host: w!.nodeV4, port }))), LISTEN.map(() => "open"));
    const r = await cli(["host", "apply", "--rollback-seconds", "600"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ROLLBACK PENDING: unless you confirm by \S+ \(in 600 s\)/);
    assert.match(r.stdout, /nodeward host confirm/);

    const ports = [9678, 8080, 22, 9679, 2222, 1, 443];
    for (const [node, [allowed, other]] of [[w.nodeV4, w.clientV4], [w.nodeV6, w.clientV6]] as const) {
      const fromOther = await w.probe(ports.map((port) => ({ host: node, port, from: other })));
      assert.deepEqual(fromOther, ["open", "open", "filtered", "filtered", "filtered", "filtered", "filtered"], `from ${other} to ${node}`);
      const fromAdmin = await w.probe([22, 9679].map((port) => ({ host: node, port, from: allowed })));
      assert.deepEqual(fromAdmin, ["open", "filtered"], `admin ${allowed} to ${node}`);
    }
    const plan = await cli(["host", "plan"]);
    assert.equal(plan.code, 0, `plan right after apply must be clean:\n${plan.stdout}`);
    assert.match(plan.stdout, /waiting for `nodeward host confirm`/);
  });

  it("keeps IPv6 neighbour discovery working (caches flushed, no ping allowed)", async (t) => {
    if (!(await requireNetns(t, availability)) || w === undefined) return;
    const flush = async () => {
      await execInNamespace(w!.client, "ip", ["-6", "neigh", "flush", "all"]);
      await execInNamespace(w!.node, "ip", ["-6", "neigh", "flush", "all"]);
    };
    await flush();
    assert.deepEqual(await w.probe([{ host: w.nodeV6, port: 9678, from: w.clientV6[1] }], 3000), ["open"]);
    // Control: the same ruleset without its ICMPv6 line loses IPv6 after a flush.
    const current = await listing();
    const noNd = current.split("\n").filter((l) => !l.includes("icmpv6 type {")).join("\n");
    await execInNamespace(w.node, "nft", ["-f", "-"], { input: `table inet nodeward {}\ndelete table inet nodeward\n${noNd}` });
    await flush();
    assert.deepEqual(await w.probe([{ host: w.nodeV6, port: 9678, from: w.clientV6[1] }], 1500), ["filtered"], "without ND the test must fail");
    await execInNamespace(w.node, "nft", ["-f", "-"], { input: `table inet nodeward {}\ndelete table inet nodeward\n${current}` });
    await flush();
    assert.deepEqual(await w.probe([{ host: w.nodeV6, port: 9678, from: w.clientV6[1] }], 3000), ["open"]);
  });

  it("refuses to load a ruleset that shuts out the SSH session it runs in", async (t) => {
    if (!(await requireNetns(t, availability)) || w === undefined) return;
    const before = await listing();
    writeFileSync(project!.file, config({ extraPorts: [2222] }));
    const r = await cli(["host", "apply"], { SSH_CONNECTION: `${w.clientV4[1]} 50000 ${w.nodeV4} 22` });
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`refusing to load the ruleset: .*${w.clientV4[1].replace(/\./g, "\\.")}`));
    assert.equal(await listing(), before);
    const off = await cli(["host", "apply", "--ssh", "off"], { SSH_CONNECTION: `${w.clientV4[0]} 50000 ${w.nodeV4} 22` });
    assert.equal(off.code, 1);
    assert.match(off.stderr, /refusing --ssh off: you are logged in over SSH from 10\.251\.0\.10/);
    assert.equal(await listing(), before);
    const ok = await cli(["host", "apply", "--rollback-seconds", "600"], { SSH_CONNECTION: `${w.clientV4[0]} 50000 ${w.nodeV4} 22` });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /your SSH session from 10\.251\.0\.10 stays reachable/);
    writeFileSync(project!.file, config());
  });

  it("confirm keeps the ruleset, stops the timer and writes the persistence file", async (t) => {
    if (!(await requireNetns(t, availability)) || w === undefined) return;
    assert.equal((await cli(["host", "apply", "--rollback-seconds", "600"])).code, 0);
    const pending = JSON.parse(readFileSync(join(stateDir(), "pending.json"), "utf8")) as { timer: { pid: number } };
    assert.ok(existsSync(`/proc/${pending.timer.pid}`), "the detached timer runs after the CLI exited");
    const r = await cli(["host", "confirm"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(persistPath(), "utf8"), readFileSync(join(stateDir(), "applied.nft"), "utf8"));
    await waitFor("timer process ends", async () => !existsSync(`/proc/${pending.timer.pid}`) || readFileSync(`/proc/${pending.timer.pid}/stat`, "utf8").includes(") Z "), 5000);
    assert.equal((await cli(["host", "plan"])).code, 0);
    assert.equal((await cli(["host", "confirm"])).code, 1, "nothing left to confirm");
    const again = await cli(["host", "apply"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to change, no timer started/);
    assert.equal(existsSync(join(stateDir(), "pending.json")), false);
  });

  it("without confirm, the previous ruleset is back after the timer although the CLI exited", async (t) => {
    if (!(await requireNetns(t, availability)) || w === undefined) return;
    const confirmed = await listing();
    writeFileSync(project!.file, config({ extraPorts: [2222] }));
    const r = await cli(["host", "apply", "--rollback-seconds", "2"]);
    assert.equal(r.code, 0, r.stderr);
    assert.notEqual(await listing(), confirmed);
    assert.deepEqual(await w.probe([{ host: w.nodeV4, port: 2222 }]), ["open"]);
    await waitFor("rollback by the detached timer", async () => (await listing()) === confirmed, 12_000);
    assert.deepEqual(await w.probe([{ host: w.nodeV4, port: 2222 }]), ["filtered"]);
    assert.match(readFileSync(join(stateDir(), "rollback.log"), "utf8"), /rolled back: the previous nodeward table is loaded again/);
    writeFileSync(project!.file, config());
  });

  it("rollback restores at once; with no table before, the table is removed again", async (t) => {
    if (!(await requireNetns(t, availability)) || w === undefined) return;
    await execInNamespace(w.node, "nft", ["delete", "table", "inet", "nodeward"]);
    assert.equal((await cli(["host", "apply", "--rollback-seconds", "600"])).code, 0);
    assert.notEqual(await listing(), "(none)");
    const r = await cli(["host", "rollback"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /table inet nodeward removed/);
    assert.equal(await listing(), "(none)");
    assert.deepEqual(await w.probe([{ host: w.nodeV4, port: 9679 }]), ["open"], "back to no firewall at all");
  });

  it("a file that fails to load changes nothing: nft -f is one transaction", async (t) => {
    if (!(await requireNetns(t, availability)) || w === undefined) return;
    await execInNamespace(w.node, "nft", ["-f", "-"], { input: "table inet nodeward {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport 7 drop\n\t}\n}\n" });
    const before = await listing();
    const bad = `table inet nodeward {}\ndelete table inet nodeward\ntable inet nodeward {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t\ttcp dport 9678 jump nowhere\n\t}\n}\n`;
    await assert.rejects(execInNamespace(w.node, "nft", ["-f", "-"], { input: bad }));
    assert.equal(await listing(), before);
    await execInNamespace(w.node, "nft", ["delete", "table", "inet", "nodeward"]);
  });
});
