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

  // Every port in the schema, outside extraPorts: each is 1–65535 and says so at its own line.
  const portKeys: [string, string, number, string][] = [
    ["firewall:\n  adminAccess:\n    - {cidr: 203.0.113.7/32, port: 99999}\n", "firewall.adminAccess[0].port", 7, "port 99999 is out of range 1–65535"],
    ["lockdown:\n  sshPort: 99999\n", "lockdown.sshPort", 6, "port 99999 is out of range 1–65535"],
    ["lockdown:\n  sshPort: 0\n", "lockdown.sshPort", 6, "port 0 is out of range 1–65535"],
    ["watch:\n  listen: 127.0.0.1:99999\n", "watch.listen", 6, '"127.0.0.1:99999": port 99999 is out of range 1–65535'],
    ["watch:\n  selfCheck: [\"[::1]:0\"]\n", "watch.selfCheck[0]", 6, '"[::1]:0": port 0 is out of range 1–65535'],
    ["watch:\n  selfCheck: [api.vultr.com:443, \"api.vultr.com:65536\"]\n", "watch.selfCheck[1]", 6, '"api.vultr.com:65536": port 65536 is out of range 1–65535'],
    ['verify:\n  ports: "22,99999"\n', "verify.ports", 6, '"99999": 99999 is not a TCP port; ports are 1–65535'],
    ['verify:\n  ports: "0-100"\n', "verify.ports", 6, '"0-100": 0 is not a TCP port; ports are 1–65535'],
    ["provider:\n  type: vultr\n  baseUrl: http://127.0.0.1:99999/v2\n", "provider.baseUrl", 7, '"http://127.0.0.1:99999/v2": port 99999 is out of range 1–65535'],
    ["provider:\n  type: vultr\n  baseUrl: http://127.0.0.1:0/v2\n", "provider.baseUrl", 7, '"http://127.0.0.1:0/v2": port 0 is out of range 1–65535'],
    [
      "alerts:\n  channels:\n    - {type: email, name: m, host: smtp.example.com, port: 99999, from: a@example.com, to: [a@example.com]}\n",
      "alerts.channels[0].port",
      7,
      "port 99999 is out of range 1–65535",
    ],
    [
      "alerts:\n  channels:\n    - {type: telegram, name: t, botToken: {env: T}, chatId: 1, apiBase: \"http://127.0.0.1:0\"}\n",
      "alerts.channels[0].apiBase",
      7,
      '"http://127.0.0.1:0": port 0 is out of range 1–65535',
    ],
    // An inline webhook URL is a secret: the message names the port, never the URL.
    ["alerts:\n  channels:\n    - {type: webhook, name: w, url: \"https://hooks.example.com:99999/s3cr3t-token\"}\n", "alerts.channels[0].url", 7, "the URL's port 99999 is out of range 1–65535"],
    ["alerts:\n  channels:\n    - {type: slack, name: s, webhookUrl: \"https://hooks.slack.com:0/services/T0/B0/s3cr3t\"}\n", "alerts.channels[0].webhookUrl", 7, "the URL's port 0 is out of range 1–65535"],
    ["alerts:\n  channels:\n    - {type: discord, name: d, webhookUrl: \"https://discord.com:70000/api/webhooks/1/s3cr3t\"}\n", "alerts.channels[0].webhookUrl", 7, "the URL's port 70000 is out of range 1–65535"],
  ];
  for (const [extra, path, line, message] of portKeys) {
    it(`rejects an out-of-range port at ${path} (${message})`, () => {
      const issue = onlyIssue(BASE + extra);
      assert.deepEqual([issue.path, issue.line, issue.message], [path, line, message]);
      assert.doesNotMatch(issue.message, /s3cr3t/);
    });
  }

  it("takes port 0 in watch.listen: the system picks a free port", () => {
    assert.equal(parseConfigText(`${BASE}watch: {listen: "[::1]:0"}\n`, "nodeward.yaml").config.watch.listen, "[::1]:0");
  });

  it("accepts the edges of the port range everywhere", () => {
    const { config } = parseConfigText(
      `${BASE}lockdown: {sshPort: 65535}\nwatch: {listen: "[::1]:1", selfCheck: ["api.vultr.com:65535"]}\nverify: {ports: "1,65535,1-3"}\n` +
        `alerts:\n  channels:\n    - {type: webhook, name: w, url: "https://hooks.example.com:65535/x", secret: {env: S}}\n`,
      "nodeward.yaml",
    );
    assert.deepEqual([config.lockdown.sshPort, config.watch.listen, config.verify.ports], [65535, "[::1]:1", "1,65535,1-3"]);
  });

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
