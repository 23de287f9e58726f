import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { closestKey, editDistance, knownKeysAt } from "./keys.ts";
import { configSchema } from "./schema.ts";

describe("editDistance", () => {
  const cases: [string, string, number][] = [
    ["icmp", "icmp", 0],
    ["icmpp", "icmp", 1],
    ["imcp", "icmp", 1],
    ["adminAcess", "adminAccess", 1],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
  ];
  for (const [a, b, d] of cases) it(`counts ${d} edits from "${a}" to "${b}"`, () => assert.equal(editDistance(a, b), d));
});

describe("closestKey", () => {
  it("finds keys within two edits, ignoring case, _ and -", () => {
    const known = ["apiKeyEnv", "apiKeyFile", "baseUrl"];
    assert.equal(closestKey("apiKeyEnvv", known), "apiKeyEnv");
    assert.equal(closestKey("API_KEY_FILE", known), "apiKeyFile");
    assert.equal(closestKey("base-url", known), "baseUrl");
    assert.equal(closestKey("endpoint", known), undefined);
  });
});

describe("knownKeysAt", () => {
  it("lists the keys of nested objects, through arrays, defaults and unions", () => {
    assert.deepEqual(knownKeysAt(configSchema, []), ["version", "provider", "coin", "ports", "extraPorts", "nodes", "firewall", "hosts", "verify", "watch", "store", "remediation", "smartnodes", "netview", "alerts", "wallet", "dashboard", "audit", "lockdown"]);
    assert.deepEqual(knownKeysAt(configSchema, ["nodes"]), ["tags", "labels", "regions", "ids"]);
    assert.deepEqual(knownKeysAt(configSchema, ["firewall", "adminAccess", 0]), ["cidr", "port", "protocol", "note"]);
    assert.deepEqual(knownKeysAt(configSchema, ["extraPorts", 3]), ["port", "protocol"]);
    assert.deepEqual(knownKeysAt(configSchema, ["coin"]), []);
  });
});
