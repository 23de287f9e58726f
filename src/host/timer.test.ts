import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { CommandRunner } from "./runner.ts";
import { cancelTimer, rollbackArgs, systemdTimer } from "./timer.ts";

function recorder(code = 0): { runner: CommandRunner; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    runner: { prefix: [], describe: (c, a) => [c, ...a].join(" "), run: async (c, a) => (calls.push([c, ...a]), { code, stdout: "", stderr: code === 0 ? "" : "boom" }) },
  };
}

describe("rollback timers", () => {
  it("the rollback command checks the token at the deadline", () => {
    const args = rollbackArgs({ stateDir: "/var/lib/nodeward", token: "abc123", deadlineMs: 1_700_000_000_000 });
    assert.match(args[0] ?? "", /bin\/nodeward\.js$/);
    assert.deepEqual(args.slice(1), ["host", "rollback", "--state-dir", "/var/lib/nodeward", "--at", "1700000000000", "--if-unconfirmed", "abc123"]);
  });

  it("under systemd: a transient timer unit, rounded up to whole seconds, stopped by cancel", async () => {
    const { runner, calls } = recorder();
    const ref = await systemdTimer(runner)({ stateDir: "/s", token: "0123456789abcdef0123", deadlineMs: 10_500, nowMs: 0, env: {} });
    assert.deepEqual(ref, { kind: "systemd", unit: "nodeward-rollback-0123456789ab" });
    const call = calls[0] ?? [];
    assert.equal(call[0], "systemd-run");
    assert.ok(call.includes("--unit=nodeward-rollback-0123456789ab"));
    assert.ok(call.includes("--on-active=11s"));
    assert.ok(call.includes("--if-unconfirmed") && call.includes("0123456789abcdef0123"));
    await cancelTimer(runner, ref, "0123456789abcdef0123");
    assert.deepEqual(calls[1], ["systemctl", "stop", "nodeward-rollback-0123456789ab.timer"]);
  });

  it("a failing systemd-run is an error (apply then rolls back)", async () => {
    const { runner } = recorder(1);
    await assert.rejects(systemdTimer(runner)({ stateDir: "/s", token: "t".repeat(32), deadlineMs: 1000, nowMs: 0, env: {} }), /systemd-run failed: boom/);
  });

  it("signals only a process whose command line carries the token (pids are reused)", async () => {
    const { runner } = recorder();
    const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)", "token-7f3a"], { stdio: "ignore" });
    try {
      await new Promise((r) => child.once("spawn", r));
      await cancelTimer(runner, { kind: "process", pid: child.pid ?? 0 }, "some-other-token");
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(child.exitCode, null);
      assert.equal(child.signalCode, null, "a process without the token is left alone");
      const exited = new Promise((r) => child.once("exit", (_c, sig) => r(sig)));
      await cancelTimer(runner, { kind: "process", pid: child.pid ?? 0 }, "token-7f3a");
      assert.equal(await exited, "SIGTERM");
    } finally {
      child.kill("SIGKILL");
    }
  });
});
