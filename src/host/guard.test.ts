import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { desiredPolicy, type PolicyInput } from "../firewall/policy.ts";
import { lockoutGuard } from "./guard.ts";
import type { SshSession } from "./session.ts";

const input = (admin: PolicyInput["adminAccess"]): PolicyInput => ({
  description: "d",
  ports: [{ protocol: "tcp", port: "9678", purpose: "P2P" }, { protocol: "tcp", port: "8080", purpose: "SAPI" }],
  adminAccess: admin,
  icmp: false,
});
const ssh = (clientIp: string, serverPort = 22): SshSession => ({ over: "ssh", clientIp, serverPort, how: "SSH_CONNECTION" });

describe("lockoutGuard", () => {
  const cases: { name: string; admin: PolicyInput["adminAccess"]; session: SshSession; ok: boolean }[] = [
    { name: "not over SSH: nothing to protect", admin: [], session: { over: "none" }, ok: true },
    { name: "over SSH, no admin access: refused", admin: [], session: ssh("198.51.100.4"), ok: false },
    { name: "client inside an admin IPv4 block", admin: [{ cidr: "198.51.100.0/24", port: "22", protocol: "tcp" }], session: ssh("198.51.100.4"), ok: true },
    { name: "client outside the admin block", admin: [{ cidr: "198.51.100.0/24", port: "22", protocol: "tcp" }], session: ssh("203.0.113.9"), ok: false },
    { name: "admin block for another port", admin: [{ cidr: "198.51.100.0/24", port: "2222", protocol: "tcp" }], session: ssh("198.51.100.4"), ok: false },
    { name: "sshd on a port inside an admin range", admin: [{ cidr: "198.51.100.0/24", port: "2200:2299", protocol: "tcp" }], session: ssh("198.51.100.4", 2222), ok: true },
    { name: "IPv6 client inside an IPv6 block", admin: [{ cidr: "2001:db8::/48", port: "22", protocol: "tcp" }], session: ssh("2001:db8:0:1::5"), ok: true },
    { name: "IPv6 client against an IPv4 block", admin: [{ cidr: "198.51.100.0/24", port: "22", protocol: "tcp" }], session: ssh("2001:db8::5"), ok: false },
    { name: "sshd on a coin port is open to everyone", admin: [], session: ssh("203.0.113.9", 8080), ok: true },
    { name: "SSH with an unknown client and no open SSH port: refused", admin: [{ cidr: "198.51.100.0/24", port: "22", protocol: "tcp" }], session: { over: "ssh-unknown", how: "an ancestor process is sshd" }, ok: false },
    { name: "SSH with an unknown client, SSH open to everyone", admin: [{ cidr: "0.0.0.0/0", port: "22", protocol: "tcp" }], session: { over: "ssh-unknown", how: "x" }, ok: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const v = lockoutGuard(desiredPolicy(input(c.admin), true), c.session, 22);
      assert.equal(v.ok, c.ok, v.why);
      assert.ok(v.why.length > 10);
    });
  }

  it("explains a refusal with the client address and port", () => {
    const v = lockoutGuard(desiredPolicy(input([]), true), ssh("203.0.113.9"), 22);
    assert.match(v.why, /203\.0\.113\.9.*port 22.*could not log in again/);
  });
});
