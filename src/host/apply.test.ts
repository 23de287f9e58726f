import { describe, it, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../core/errors.ts";
import { desiredPolicy, type PolicyInput } from "../firewall/policy.ts";
import { applyHost, confirmHost, rollbackHost, type ApplyRequest, type HostDeps } from "./apply.ts";
import { hostRuleset } from "./ruleset.ts";
import type { CommandRunner } from "./runner.ts";
import type { SshSession } from "./session.ts";
import { readPending } from "./state.ts";
import type { TimerRequest } from "./timer.ts";

/**
 * The apply/confirm/rollback engine against a fake nft (one table in memory; a file is loaded
 * whole or not at all) and a fake systemctl, so every SSH branch runs without a machine to lose.
 * The real kernel firewall is in test/host-netns.test.ts.
 */

function fakeHost() {
  const state = { table: null as string | null, calls: [] as string[], active: new Set(["ssh.service"]), enabled: new Set(["ssh.service"]) };
  const tableOf = (file: string): string | null => {
    const i = file.lastIndexOf("table inet nodeward {\n");
    return i === -1 ? null : file.slice(i);
  };
  const runner: CommandRunner = {
    prefix: [],
    describe: (c, a) => [c, ...a].join(" "),
    run: async (cmd, args, opts = {}) => {
      state.calls.push([cmd, ...args].join(" "));
      if (cmd === "nft" && args[0] === "list") return state.table === null ? { code: 1, stdout: "", stderr: "Error: No such file or directory" } : { code: 0, stdout: state.table, stderr: "" };
      if (cmd === "nft" && args[0] === "-c") return /BROKEN/.test(opts.input ?? "") ? { code: 1, stdout: "", stderr: "Error: syntax error, BROKEN" } : { code: 0, stdout: "", stderr: "" };
      if (cmd === "nft" && args[0] === "-f") {
        const text = readFileSync(args[1] ?? "", "utf8");
        if (/BROKEN|LOADFAIL/.test(text)) return { code: 1, stdout: "", stderr: "Error: Could not process rule" };
        state.table = tableOf(text);
        return { code: 0, stdout: "", stderr: "" };
      }
      if (cmd === "systemctl") {
        const [verb, ...rest] = args.filter((a) => a !== "--quiet");
        const units = rest;
        if (verb === "is-active") return { code: units.some((u) => state.active.has(u)) ? 0 : 3, stdout: "", stderr: "" };
        if (verb === "is-enabled") return { code: units.some((u) => state.enabled.has(u)) ? 0 : 1, stdout: "", stderr: "" };
        if (verb === "stop") units.forEach((u) => state.active.delete(u));
        if (verb === "start") units.forEach((u) => state.active.add(u));
        if (verb === "disable") units.forEach((u) => state.enabled.delete(u));
        return { code: 0, stdout: "", stderr: "" };
      }
      return { code: 0, stdout: "", stderr: "" };
    },
  };
  return { state, runner };
}

const POLICY: PolicyInput = {
  description: "d",
  ports: [{ protocol: "tcp", port: "9678", purpose: "P2P" }, { protocol: "tcp", port: "8080", purpose: "SAPI" }],
  adminAccess: [{ cidr: "203.0.113.0/24", port: "22", protocol: "tcp" }],
  icmp: false,
};

describe("applyHost / confirmHost / rollbackHost", () => {
  let dir: string;
  let host: ReturnType<typeof fakeHost>;
  let now: number;
  let timers: TimerRequest[];
  let deps: HostDeps;
  const policy = desiredPolicy(POLICY, true);
  const req = (over: Partial<ApplyRequest> = {}): ApplyRequest => ({
    ruleset: hostRuleset(policy), policy, session: { over: "none" }, sshPort: 22, rollbackSeconds: 120, force: false, ssh: null, ...over,
  });
  const targets = () => ({ persistPath: join(dir, "etc/nodeward.nft"), systemdDropIn: join(dir, "etc/dropin.conf"), nftPath: "/usr/sbin/nft", systemd: false });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nodeward-host-"));
    host = fakeHost();
    now = Date.parse("2026-01-01T00:00:00Z");
    timers = [];
    deps = { runner: host.runner, stateDir: join(dir, "state"), now: () => now, env: {}, startTimer: async (r) => (timers.push(r), { kind: "process", pid: 0 }) };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("loads the table, records the deadline and starts the timer with the same token", async () => {
    const r = await applyHost(req(), deps);
    assert.equal(host.state.table, hostRuleset(policy).table);
    assert.equal(r.deadline.toISOString(), "2026-01-01T00:02:00.000Z");
    assert.equal(timers[0]?.token, r.token);
    assert.equal(timers[0]?.deadlineMs, r.deadline.getTime());
    assert.equal((await readPending(deps.stateDir))?.token, r.token);
    assert.equal(r.previousExisted, false);
  });

  it("rolls back to no table when there was none, and only for the pending token", async () => {
    const r = await applyHost(req(), deps);
    assert.deepEqual(await rollbackHost(deps, { token: "someone-else" }), { status: "nothing-pending" });
    assert.notEqual(host.state.table, null);
    assert.equal((await rollbackHost(deps, { token: r.token })).status, "rolled-back");
    assert.equal(host.state.table, null);
    assert.deepEqual(await rollbackHost(deps, { token: r.token }), { status: "nothing-pending" });
  });

  it("rolls back to the table loaded before", async () => {
    host.state.table = "table inet nodeward {\n\tchain input {\n\t}\n}\n";
    await applyHost(req(), deps);
    await rollbackHost(deps);
    assert.equal(host.state.table, "table inet nodeward {\n\tchain input {\n\t}\n}\n");
  });

  it("a second apply while one is pending keeps the first saved table as the rollback target", async () => {
    host.state.table = "table inet nodeward {\n\tORIGINAL\n}\n";
    const first = await applyHost(req(), deps);
    const second = await applyHost(req({ ruleset: hostRuleset(desiredPolicy({ ...POLICY, icmp: true }, true)) }), deps);
    assert.notEqual(first.token, second.token);
    assert.equal(second.replacedPending, true);
    await rollbackHost(deps, { token: second.token });
    assert.equal(host.state.table, "table inet nodeward {\n\tORIGINAL\n}\n");
  });

  it("a failed apply hands an earlier pending apply back untouched, timer and all", async () => {
    const first = await applyHost(req(), deps);
    const loadFails = { ...hostRuleset(policy), file: `${hostRuleset(policy).file}# LOADFAIL\n` };
    await assert.rejects(applyHost(req({ ruleset: loadFails }), deps), /unchanged/);
    assert.equal((await readPending(deps.stateDir))?.token, first.token);
    assert.equal((await rollbackHost(deps, { token: first.token })).status, "rolled-back");
    assert.equal(host.state.table, null);
  });

  it("SSH changes of replaced applies are undone too, newest first", async () => {
    const ssh = { mode: "off" as const, cidrs: [], dropInPath: join(dir, "dropin"), deps: { runner: host.runner, mainConfigPath: "/nonexistent" } };
    await applyHost(req({ ssh }), deps);
    await applyHost(req({ ssh }), deps);
    await applyHost(req(), deps);
    assert.equal(host.state.active.has("ssh.service"), false);
    await rollbackHost(deps);
    assert.ok(host.state.active.has("ssh.service"), "the first apply's undo starts sshd again");
  });

  it("confirm cancels the rollback and persists exactly the applied file", async () => {
    const r = await applyHost(req(), deps);
    const c = await confirmHost(deps, targets());
    assert.equal(c.status, "confirmed");
    assert.equal(readFileSync(targets().persistPath, "utf8"), hostRuleset(policy).file);
    assert.match(readFileSync(targets().systemdDropIn, "utf8"), /ExecStartPost=\/usr\/sbin\/nft -f .*nodeward\.nft/);
    assert.deepEqual(await rollbackHost(deps, { token: r.token }), { status: "nothing-pending" });
    assert.equal(host.state.table, hostRuleset(policy).table);
  });

  it("does not persist anything before confirm", async () => {
    await applyHost(req(), deps);
    assert.equal(existsSync(targets().persistPath), false);
  });

  it("confirm after the deadline rolls back instead", async () => {
    await applyHost(req(), deps);
    now += 121_000;
    const c = await confirmHost(deps, targets());
    assert.equal(c.status, "too-late");
    assert.equal(host.state.table, null);
    assert.equal(existsSync(targets().persistPath), false);
  });

  it("a ruleset nft rejects changes nothing and leaves nothing pending", async () => {
    host.state.table = "table inet nodeward {\n\tOLD\n}\n";
    const broken = { ...hostRuleset(policy), file: "BROKEN" };
    await assert.rejects(applyHost(req({ ruleset: broken }), deps), (e: unknown) => e instanceof AppError && e.code === "APPLY_FAILED");
    const loadFails = { ...hostRuleset(policy), file: `${hostRuleset(policy).file}# LOADFAIL\n` };
    await assert.rejects(applyHost(req({ ruleset: loadFails }), deps), /the one loaded before is unchanged/);
    assert.equal(host.state.table, "table inet nodeward {\n\tOLD\n}\n");
    assert.equal(await readPending(deps.stateDir), null);
    assert.equal(timers.length, 0);
  });

  it("refuses a ruleset that shuts out the SSH session it runs in, unless forced", async () => {
    const session: SshSession = { over: "ssh", clientIp: "198.51.100.9", serverPort: 22, how: "SSH_CONNECTION" };
    await assert.rejects(applyHost(req({ session }), deps), (e: unknown) => e instanceof AppError && e.code === "APPLY_UNSAFE" && /198\.51\.100\.9/.test(e.message));
    assert.equal(host.state.table, null);
    const r = await applyHost(req({ session, force: true }), deps);
    assert.match(r.guard, /overridden by --force/);
  });

  it("lets a session from an admin block through", async () => {
    const r = await applyHost(req({ session: { over: "ssh", clientIp: "203.0.113.50", serverPort: 22, how: "SSH_CONNECTION" } }), deps);
    assert.match(r.guard, /stays reachable/);
  });

  it("--ssh off: refused over SSH; from the console it stops sshd, rollback starts it, confirm disables it", async () => {
    const ssh = { mode: "off" as const, cidrs: [], dropInPath: join(dir, "dropin"), deps: { runner: host.runner, mainConfigPath: "/nonexistent" } };
    const session: SshSession = { over: "ssh", clientIp: "203.0.113.50", serverPort: 22, how: "SSH_CONNECTION" };
    await assert.rejects(applyHost(req({ ssh, session }), deps), /refusing --ssh off/);
    assert.ok(host.state.active.has("ssh.service"));

    await applyHost(req({ ssh }), deps);
    assert.equal(host.state.active.has("ssh.service"), false);
    assert.ok(host.state.enabled.has("ssh.service"), "not disabled before confirm");
    await rollbackHost(deps);
    assert.ok(host.state.active.has("ssh.service"), "started again by rollback");

    await applyHost(req({ ssh }), deps);
    assert.equal((await confirmHost(deps, targets())).status, "confirmed");
    assert.equal(host.state.enabled.has("ssh.service"), false, "disabled on confirm");
  });

  it("--ssh admin-only refuses a session from outside the admin blocks", async () => {
    const ssh = { mode: "admin-only" as const, cidrs: ["203.0.113.0/24"], dropInPath: join(dir, "dropin"), deps: { runner: host.runner, mainConfigPath: join(dir, "sshd_config") } };
    const policyOpen = desiredPolicy({ ...POLICY, adminAccess: [{ cidr: "0.0.0.0/0", port: "22", protocol: "tcp" }] }, true);
    writeFileSync(join(dir, "sshd_config"), "Port 22\n");
    const session: SshSession = { over: "ssh", clientIp: "198.51.100.9", serverPort: 22, how: "SSH_CONNECTION" };
    await assert.rejects(applyHost(req({ ssh, session, policy: policyOpen, ruleset: hostRuleset(policyOpen) }), deps), /refusing --ssh admin-only.*198\.51\.100\.9/);
    assert.equal(existsSync(join(dir, "dropin")), false);
  });
});
