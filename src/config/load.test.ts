import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfigText } from "./load.ts";
import { configSchema } from "./schema.ts";
import { BASE_CONFIG as BASE, issuesOf, onlyIssue } from "../../test/helpers/config.ts";

describe("parseConfigText", () => {
  it("accepts a full config and keeps every value", () => {
    const text = `version: 1
provider:
  type: vultr
  apiKeyEnv: MY_VULTR_KEY
  apiKeyFile: ~/.config/nodeward/vultr.key
  baseUrl: http://127.0.0.1:8181/v2/
  maxRequestsPerSecond: 10
  timeoutSeconds: 5
coin: smartcash
extraPorts: [9999, "8000:8080", {port: 5353, protocol: udp}]
nodes:
  tags: [smartnode, sn]
  labels: ["sn-*"]
  regions: [ewr, ams]
  ids: [cb676a46-66fd-4dfb-b839-443f2e6c0b60]
firewall:
  description: My Nodes
  groupId: 0a1b2c3d-66fd-4dfb-b839-443f2e6c0b60
  icmp: true
  adminAccess:
    - cidr: 203.0.113.7/32
      port: 22
      protocol: tcp
      note: office
    - cidr: 2001:DB8::/48
      port: "2222:2223"
  attachConcurrency: 4
  attachTimeoutSeconds: 60
hosts:
  - name: home-node
    addresses: [203.0.113.9, "2001:db8::9"]
verify:
  ports: "22,80,8000-8100"
  handshake: false
`;
    const { config, warnings } = parseConfigText(text, "nodeward.yaml");
    assert.deepEqual(warnings, []);
    assert.deepEqual(config, {
      version: 1,
      provider: {
        type: "vultr",
        apiKeyEnv: "MY_VULTR_KEY",
        apiKeyFile: "~/.config/nodeward/vultr.key",
        baseUrl: "http://127.0.0.1:8181/v2",
        maxRequestsPerSecond: 10,
        timeoutSeconds: 5,
      },
      coin: "smartcash",
      extraPorts: [
        { protocol: "tcp", port: 9999 },
        { protocol: "tcp", port: 8000, portEnd: 8080 },
        { protocol: "udp", port: 5353 },
      ],
      nodes: { tags: ["smartnode", "sn"], labels: ["sn-*"], regions: ["ewr", "ams"], ids: ["cb676a46-66fd-4dfb-b839-443f2e6c0b60"] },
      firewall: {
        description: "My Nodes",
        groupId: "0a1b2c3d-66fd-4dfb-b839-443f2e6c0b60",
        icmp: true,
        adminAccess: [
          { cidr: "203.0.113.7/32", protocol: "tcp", port: 22, note: "office" },
          { cidr: "2001:db8::/48", protocol: "tcp", port: 2222, portEnd: 2223 },
        ],
        attachConcurrency: 4,
        attachTimeoutSeconds: 60,
      },
      hosts: [{ name: "home-node", addresses: ["203.0.113.9", "2001:db8::9"] }],
      verify: { ports: "22,80,8000-8100", handshake: false, sapi: true, timeoutSeconds: 5 },
      watch: configSchema.parse({ version: 1, coin: "smartcash", nodes: { tags: ["x"] } }).watch,
      store: { poolSize: 8 },
      remediation: { enabled: false, afterMinutes: 10, windowMinutes: 30 },
      smartnodes: [],
      netview: { enabled: true, intervalSeconds: 300, peersPerNode: 3, peers: [], timeoutSeconds: 15, unseenAfterMinutes: 45 },
      alerts: { retry: { maxAgeMinutes: 1440 }, channels: [] },
      wallet: configSchema.parse({ version: 1, coin: "smartcash", nodes: { tags: ["x"] } }).wallet,
      dashboard: { enabled: true, trustProxy: false, secureCookies: false, sessionIdleMinutes: 30, sessionMaxHours: 12 },
      audit: { attestationMaxAgeDays: 90 },
      lockdown: configSchema.parse({ version: 1, coin: "smartcash", nodes: { tags: ["x"] } }).lockdown,
    });
  });

  it("fills every default for a minimal config", () => {
    const { config } = parseConfigText(BASE, "nodeward.yaml");
    assert.deepEqual(config.provider, {
      type: "vultr",
      apiKeyEnv: "VULTR_API_KEY",
      baseUrl: "https://api.vultr.com/v2",
      maxRequestsPerSecond: 28,
      timeoutSeconds: 30,
    });
    assert.deepEqual(config.firewall, { description: "SmartNodes Only", icmp: false, adminAccess: [], attachConcurrency: 8, attachTimeoutSeconds: 300 });
    assert.deepEqual(config.extraPorts, []);
    assert.equal(config.ports, undefined);
  });

  it("reports every problem in one pass, each with its own line", () => {
    const text = `version: 1
provider:
  type: vultr
  maxRequestsPerSecond: 30
coin: smartcash
extraPorts: [0]
nodes:
  tags: [smartnode]
firewall:
  icmp: "no"
  adminAccess:
    - cidr: 10.0.0.1/8
  attachConcurrency: 0
`;
    const issues = issuesOf(text);
    assert.deepEqual(
      issues.map((i) => [i.line, i.path]),
      [
        [4, "provider.maxRequestsPerSecond"],
        [6, "extraPorts[0]"],
        [10, "firewall.icmp"],
        [12, "firewall.adminAccess[0].cidr"],
        [13, "firewall.attachConcurrency"],
      ],
    );
  });

  it("names an unknown key at its own line and suggests the close one", () => {
    const issues = issuesOf(`${BASE}firewall:\n  adminAcess: []\n  icmpp: true\n  colour: red\n`);
    assert.deepEqual(issues, [
      { path: "firewall.adminAcess", message: 'unknown key "adminAcess"; did you mean "adminAccess"?', line: 6, column: 3 },
      { path: "firewall.icmpp", message: 'unknown key "icmpp"; did you mean "icmp"?', line: 7, column: 3 },
      {
        path: "firewall.colour",
        message: 'unknown key "colour"; allowed here: description, groupId, icmp, adminAccess, attachConcurrency, attachTimeoutSeconds',
        line: 8,
        column: 3,
      },
    ]);
  });

  it("suggests camelCase keys for snake_case spellings, at any depth", () => {
    const issues = issuesOf(`${BASE}provider:\n  type: vultr\n  api_key_env: X\nextraPorts:\n  - {port: 1, protcol: udp}\n`);
    assert.deepEqual(
      issues.map((i) => [i.path, i.message, i.line]),
      [
        ["provider.api_key_env", 'unknown key "api_key_env"; did you mean "apiKeyEnv"?', 7],
        ["extraPorts[0].protcol", 'unknown key "protcol"; did you mean "protocol"?', 9],
      ],
    );
  });

  it("reports an unsupported version and missing required keys at the top", () => {
    assert.equal(onlyIssue("version: 2\ncoin: dash\nnodes: {tags: [a]}\n").message, "unsupported version 2: this nodeward reads version 1");
    const issues = issuesOf("firewall: {}\n");
    assert.deepEqual(
      issues.map((i) => [i.path, i.message, i.line]),
      [
        ["version", "required key is missing", 1],
        ["coin", "required key is missing", 1],
        ["nodes", "required key is missing", 1],
      ],
    );
  });

  it("points a missing nested key at its parent", () => {
    const issue = onlyIssue(`${BASE}provider:\n  timeoutSeconds: 10\n`);
    assert.deepEqual(issue, { path: "provider.type", message: "required key is missing", line: 5, column: 1 });
  });

  it("turns malformed YAML into an issue with its line", () => {
    const issue = onlyIssue("version: 1\ncoin: smartcash\nnodes:\n  tags: [smartnode\nfirewall:\n  icmp: false\n");
    assert.equal(issue.path, "");
    assert.match(issue.message, /^YAML: /);
    assert.ok(issue.line !== undefined && issue.line >= 4, JSON.stringify(issue));
  });

  it("reports duplicate keys as YAML errors at the second key", () => {
    const issue = onlyIssue(`${BASE}coin: dash\n`);
    assert.deepEqual([issue.line, issue.column], [5, 1]);
    assert.match(issue.message, /unique/);
  });

  for (const [name, text] of [["empty", ""], ["blank", "\n\n"], ["comment-only", "# nothing yet\n"]] as const) {
    it(`says clearly that a ${name} file is empty`, () => {
      const issue = onlyIssue(text);
      assert.match(issue.message, /the file is empty/);
      assert.equal(issue.line, 1);
    });
  }

  it("rejects a top level that is not a mapping", () => {
    assert.match(onlyIssue("- version: 1\n").message, /expected a mapping of settings.*got a list/);
  });

  it("requires at least one node selector", () => {
    assert.deepEqual(onlyIssue("version: 1\ncoin: smartcash\nnodes: {}\n"), {
      path: "nodes",
      message: "select the fleet with at least one of tags, labels, regions or ids",
      line: 3,
      column: 1,
    });
    const empty = onlyIssue("version: 1\ncoin: smartcash\nnodes:\n  tags: []\n");
    assert.deepEqual([empty.path, empty.line], ["nodes.tags", 4]);
    assert.match(empty.message, /empty list selects nothing/);
  });

  it("warns about SSH from anywhere but accepts it", () => {
    const { config, warnings } = parseConfigText(`${BASE}firewall:\n  adminAccess:\n    - cidr: 0.0.0.0/0\n    - cidr: ::/0\n`, "nodeward.yaml");
    assert.equal(config.firewall.adminAccess.length, 2);
    assert.deepEqual(
      warnings.map((w) => [w.path, w.line]),
      [
        ["firewall.adminAccess[0].cidr", 7],
        ["firewall.adminAccess[1].cidr", 8],
      ],
    );
    for (const w of warnings) assert.match(w.message, /SSH from anywhere undoes the guide's console-only rule/);
  });
  it("refuses a second smartnodes entry with the alias, IP or collateral of an earlier one, at the second one's line", () => {
    const tx = (c: string) => c.repeat(64);
    const issues = issuesOf(`${BASE}smartnodes:
  - {alias: sn1, address: "203.0.113.5:9678", txid: ${tx("a")}, index: 0}
  - {alias: sn1, address: "203.0.113.6:9678", txid: ${tx("b")}, index: 0}
  - {alias: sn3, address: "[::ffff:203.0.113.5]:9678", txid: ${tx("c")}, index: 0}
  - alias: sn4
    address: 203.0.113.8:9678
    txid: ${tx("A")}
    index: 0
  - {alias: sn5, address: "203.0.113.9:9678", txid: ${tx("a")}, index: 1}
`);
    assert.deepEqual(
      issues.map((i) => [i.path, i.line, i.message]),
      [
        ["smartnodes[1].alias", 7, "the same alias as smartnodes[0]: each SmartNode has its own"],
        ["smartnodes[2].address", 8, "the same IP address as smartnodes[0]: each SmartNode has its own"],
        ["smartnodes[3].txid", 11, "the same collateral (txid and index) as smartnodes[0]: each SmartNode has its own"],
      ],
    );
  });
});
