import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfigText } from "./load.ts";
import { BASE_CONFIG as BASE, onlyIssue } from "../../test/helpers/config.ts";

describe("config values", () => {
  const badPorts: [string, string][] = [
    ["0", "port 0 is out of range 1–65535"],
    ["70000", "port 70000 is out of range 1–65535"],
    ['"80:70"', 'range "80:70" runs backwards; write "70:80"'],
    ['"80:70000"', "port 70000 is out of range 1–65535"],
    ['"http"', '"http" is not a port; write 9999 or a range like "8000:8080"'],
    ["{port: 0}", "port 0 is out of range 1–65535"],
    ["{port: 22, protocol: icmp}", 'protocol is "tcp" or "udp", got "icmp"'],
    ["true", 'expected a port (9999), a range in quotes ("8000:8080") or {port: 9999, protocol: udp}'],
  ];
  for (const [value, message] of badPorts) {
    it(`rejects the port ${value} with a precise message`, () => {
      const issue = onlyIssue(`${BASE}extraPorts:\n  - ${value}\n`);
      assert.equal(issue.message, message);
      assert.match(issue.path, /^extraPorts\[0\]/);
      assert.equal(issue.line, 6);
    });
  }

  it("rejects a backwards admin port range at the port key", () => {
    const issue = onlyIssue(`${BASE}firewall:\n  adminAccess:\n    - cidr: 203.0.113.7/32\n      port: "80:70"\n`);
    assert.deepEqual([issue.path, issue.line], ["firewall.adminAccess[0].port", 8]);
  });

  const badCidrs: [string, string][] = [
    ["10.0.0.1/8", '"10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?'],
    ["2001:db8::1/32", '"2001:db8::1/32" has host bits set; did you mean 2001:db8::/32?'],
    ["203.0.113.7", '"203.0.113.7" has no prefix length; write 203.0.113.7/32 for this one address'],
    ["10.0.0.0/33", '"10.0.0.0/33" has prefix /33; an IPv4 prefix is 0–32'],
    ["300.1.1.1/32", '"300.1.1.1/32" is not an IPv4 or IPv6 CIDR block; write e.g. 203.0.113.7/32 or 2001:db8::/48'],
  ];
  for (const [cidr, message] of badCidrs) {
    it(`rejects the CIDR ${cidr}`, () => {
      const issue = onlyIssue(`${BASE}firewall:\n  adminAccess:\n    - cidr: "${cidr}"\n`);
      assert.deepEqual(issue, { path: "firewall.adminAccess[0].cidr", message, line: 7, column: 13 });
    });
  }

  it("flags the second of two identical admin entries", () => {
    const issue = onlyIssue(`${BASE}firewall:\n  adminAccess:\n    - cidr: 203.0.113.7/32\n    - {cidr: 203.0.113.7/32, port: "22"}\n`);
    assert.deepEqual([issue.path, issue.line], ["firewall.adminAccess[1]", 8]);
    assert.match(issue.message, /already allowed by firewall\.adminAccess\[0\]/);
  });

  it("lists the known coins for an unknown one", () => {
    const issue = onlyIssue("version: 1\ncoin: smartcsh\nnodes: {tags: [a]}\n");
    assert.deepEqual(issue, {
      path: "coin",
      message: 'unknown coin "smartcsh"; known coins: smartcash, smartcash-legacy, dash, custom',
      line: 2,
      column: 7,
    });
  });

  it("refuses ports with a coin profile and points to extraPorts", () => {
    const issue = onlyIssue(`${BASE}ports: [9999]\n`);
    assert.equal(issue.path, "ports");
    assert.equal(issue.line, 5);
    assert.match(issue.message, /use extraPorts/);
  });

  it("requires ports for coin: custom and accepts them there", () => {
    const issue = onlyIssue("version: 1\ncoin: custom\nnodes: {tags: [a]}\n");
    assert.equal(issue.path, "ports");
    assert.match(issue.message, /coin: custom needs a ports list/);
    const { config } = parseConfigText("version: 1\ncoin: custom\nports: [9999]\nnodes: {tags: [a]}\n", "x.yaml");
    assert.deepEqual(config.ports, [{ protocol: "tcp", port: 9999 }]);
  });

  const wrongTypes: [string, string, string][] = [
    ["provider:\n  type: vultr\n  timeoutSeconds: soon\n", "provider.timeoutSeconds", 'expected a number, got "soon"'],
    ["firewall:\n  icmp: yes\n", "firewall.icmp", 'expected true or false, got "yes"'],
    ["firewall:\n  attachConcurrency: 2.5\n", "firewall.attachConcurrency", "expected a whole number, got the fraction 2.5"],
    ["firewall:\n  adminAccess: {cidr: 203.0.113.7/32}\n", "firewall.adminAccess", "expected a list, got a mapping"],
    ["provider:\n  type: aws\n", "provider.type", 'expected "vultr", got "aws"'],
    ["provider:\n  type: vultr\n  baseUrl: ftp://example.com\n", "provider.baseUrl", '"ftp://example.com" is not an http(s) URL'],
    ["firewall:\n  groupId: 12\n", "firewall.groupId", "12 is not a firewall group id like cb676a46-66fd-4dfb-b839-443f2e6c0b60"],
  ];
  for (const [extra, path, message] of wrongTypes) {
    it(`explains a wrong type at ${path}`, () => {
      const issue = onlyIssue(BASE + extra);
      assert.deepEqual([issue.path, issue.message], [path, message]);
    });
  }
});
