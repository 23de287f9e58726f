import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseConfigText } from "./load.ts";
import { crossFieldRules } from "./rules.ts";

const warningsOf = (yaml: string) => parseConfigText(yaml, "nodeward.yaml").warnings.map((w) => [w.path, w.message] as const);

describe("configuration warnings", () => {
  it("has none for the recommended setup", () => {
    assert.deepEqual(warningsOf("version: 1\ncoin: smartcash\nnodes: {tags: [a]}\n"), []);
  });

  it("warns that smartcash-legacy makes a v2 SmartNode expire", () => {
    const [w] = warningsOf("version: 1\ncoin: smartcash-legacy\nnodes: {tags: [a]}\n");
    assert.equal(w?.[0], "coin");
    assert.match(w?.[1] ?? "", /EXPIRED after 65 minutes/);
  });

  it("warns about an extra port the profile already opens", () => {
    assert.deepEqual(warningsOf("version: 1\ncoin: smartcash\nextraPorts: [8080]\nnodes: {tags: [a]}\n"), [
      ["extraPorts[0]", "tcp 8080 is already accepted by the smartcash profile; remove it"],
    ]);
  });

  it("warns about plain http to a remote API but not to the local simulator", () => {
    const yaml = (url: string) => `version: 1\ncoin: smartcash\nnodes: {tags: [a]}\nprovider: {type: vultr, baseUrl: "${url}"}\n`;
    assert.deepEqual(warningsOf(yaml("http://127.0.0.1:8181/v2")), []);
    assert.deepEqual(warningsOf(yaml("http://[::1]:8181/v2")), []);
    assert.deepEqual(warningsOf(yaml("http://localhost:8181/v2")), []);
    assert.match(warningsOf(yaml("http://api.example.com/v2"))[0]?.[1] ?? "", /unencrypted/);
  });

  it("warns that smartnodes is not asked about for a coin without a SmartNode list", () => {
    const entry = `smartnodes: [{alias: sn1, address: "203.0.113.5:9678", txid: ${"a".repeat(64)}, index: 0}]\n`;
    assert.deepEqual(warningsOf(`version: 1\ncoin: smartcash\nnodes: {tags: [a]}\n${entry}`), []);
    assert.deepEqual(warningsOf("version: 1\ncoin: dash\nnodes: {tags: [a]}\nsmartnodes: []\n"), []);
    for (const coin of ["dash", "custom\nports: [9999]"]) {
      const [w, ...more] = warningsOf(`version: 1\ncoin: ${coin}\nnodes: {tags: [a]}\n${entry}`);
      assert.deepEqual(more, []);
      assert.equal(w?.[0], "smartnodes");
      assert.match(w?.[1] ?? "", /^the network is not asked for this coin \((dash|custom) has no SmartNode list/);
    }
  });
});

describe("crossFieldRules", () => {
  it("never throws on values of the wrong type", () => {
    for (const v of [null, 1, "x", [], { coin: 5, nodes: "all" }, { coin: "custom", nodes: null }, { smartnodes: [null, 1, "x", [], { alias: 5, address: {}, txid: 1, index: "0" }] }, { smartnodes: {} }]) {
      assert.doesNotThrow(() => crossFieldRules(v));
    }
  });

  it("leaves an unknown coin to the schema's own message", () => {
    assert.deepEqual(crossFieldRules({ coin: "bitcoin", ports: [1], nodes: { tags: ["a"] } }), []);
  });
});
