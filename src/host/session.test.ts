import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sessionFromAncestry, sessionFromEnv } from "./session.ts";

describe("sessionFromEnv", () => {
  it("reads client address and server port from SSH_CONNECTION", () => {
    assert.deepEqual(sessionFromEnv({ SSH_CONNECTION: "198.51.100.4 50022 10.0.0.5 22" }), { over: "ssh", clientIp: "198.51.100.4", serverPort: 22, how: "SSH_CONNECTION" });
  });
  it("unwraps IPv4-mapped IPv6 clients", () => {
    const s = sessionFromEnv({ SSH_CONNECTION: "::ffff:198.51.100.4 50022 ::ffff:10.0.0.5 2222" });
    assert.equal(s?.over === "ssh" && s.clientIp, "198.51.100.4");
  });
  it("knows SSH_CLIENT means SSH even without the server port", () => {
    assert.equal(sessionFromEnv({ SSH_CLIENT: "2001:db8::7 50022 22" })?.over, "ssh-unknown");
  });
  it("sees no session without either variable", () => {
    assert.equal(sessionFromEnv({}), null);
  });
});

describe("sessionFromAncestry", () => {
  const proc = mkdtempSync(join(tmpdir(), "nodeward-proc-"));
  after(() => rmSync(proc, { recursive: true, force: true }));
  const fake = (pid: number, comm: string, ppid: number, env: Record<string, string> = {}) => {
    mkdirSync(join(proc, String(pid)), { recursive: true });
    writeFileSync(join(proc, String(pid), "stat"), `${pid} (${comm}) S ${ppid} 1 1 0`);
    writeFileSync(join(proc, String(pid), "environ"), Object.entries(env).map(([k, v]) => `${k}=${v}`).join("\0"));
  };

  it("finds SSH_CONNECTION in the login shell above sudo", async () => {
    fake(100, "sshd", 1);
    fake(200, "bash", 100, { SSH_CONNECTION: "203.0.113.9 40000 10.0.0.5 22" });
    fake(300, "sudo", 200);
    fake(400, "node", 300);
    const s = await sessionFromAncestry(400, proc);
    assert.equal(s.over, "ssh");
    assert.equal(s.over === "ssh" && s.clientIp, "203.0.113.9");
  });
  it("reports an sshd ancestor whose client it cannot read", async () => {
    fake(110, "sshd", 1);
    fake(210, "sudo", 110);
    fake(410, "node", 210);
    assert.equal((await sessionFromAncestry(410, proc)).over, "ssh-unknown");
  });
  it("reports none for a console login", async () => {
    fake(120, "login", 1);
    fake(220, "bash", 120);
    assert.deepEqual(await sessionFromAncestry(220, proc), { over: "none" });
  });
});
