import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { SmartnodeEntry } from "../netview/config.ts";
import { canonicalIp, fleetPeers, matchTargets, parsePeer } from "./network-targets.ts";

const entry = (alias: string, address: string, c: string, index = 0): SmartnodeEntry => ({ alias, address, txid: c.repeat(64), index });

describe("matchTargets", () => {
  it("matches entries to watched nodes by IP, whatever way an IPv6 address is written, with the coin's port as the expected one", () => {
    const nodes = [
      { nodeId: "i-4", name: "v4", address: "203.0.113.5" },
      { nodeId: "i-6", name: "v6", address: "2001:0DB8:0:0::5" },
    ];
    const m = matchTargets(nodes, [entry("mn6", "[2001:db8::5]:19678", "b"), entry("mn4", "203.0.113.5:9678", "a", 3)], 9678);
    assert.deepEqual(m.targets, [
      { nodeId: "i-6", alias: "mn6", outpoint: { txid: "b".repeat(64), index: 0 }, expected: { ips: ["2001:db8::5"], port: 9678 } },
      { nodeId: "i-4", alias: "mn4", outpoint: { txid: "a".repeat(64), index: 3 }, expected: { ips: ["203.0.113.5"], port: 9678 } },
    ]);
    assert.deepEqual([m.unmatched, m.duplicates], [[], []]);
  });

  it("sets aside entries no watched node has, and a second entry for an IP or a collateral already taken", () => {
    const nodes = [{ nodeId: "i-1", name: "a", address: "203.0.113.5" }, { nodeId: "i-2", name: "b", address: "203.0.113.6" }];
    const m = matchTargets(nodes, [entry("one", "203.0.113.5:9678", "a"), entry("again", "203.0.113.5:9678", "c"), entry("same-coll", "203.0.113.6:9678", "a"), entry("away", "198.51.100.1:9678", "d")], 9678);
    assert.deepEqual(m.targets.map((t) => t.alias), ["one"]);
    assert.deepEqual(m.duplicates.map((e) => e.alias), ["again", "same-coll"]);
    assert.deepEqual(m.unmatched.map((e) => e.alias), ["away"]);
  });
});

describe("fleetPeers and parsePeer", () => {
  it("takes only the nodes that answer the handshake, at the coin's port", () => {
    const nodes = [{ nodeId: "a", name: "a", address: "203.0.113.5" }, { nodeId: "b", name: "b", address: "203.0.113.6" }];
    assert.deepEqual(fleetPeers(nodes, (id) => id === "b", 9678), [{ host: "203.0.113.6", port: 9678 }]);
  });

  it("reads host:port and [v6]:port, and nothing else", () => {
    assert.deepEqual(parsePeer("seed.smartcash.cc:9678"), { host: "seed.smartcash.cc", port: 9678 });
    assert.deepEqual(parsePeer("[2001:db8::1]:9678"), { host: "2001:db8::1", port: 9678 });
    for (const bad of ["203.0.113.5", "203.0.113.5:0", "203.0.113.5:70000", "a b:1", "x:1\r\nHost: y", "é".repeat(10_000)]) assert.equal(parsePeer(bad), null, bad.slice(0, 20));
  });

  it("prints addresses as the codec prints an announced one", () => {
    assert.equal(canonicalIp("::ffff:203.0.113.5"), "203.0.113.5");
    assert.equal(canonicalIp("2001:DB8:0:0:0:0:0:5"), "2001:db8::5");
    assert.equal(canonicalIp("not an ip"), null);
    assert.equal(canonicalIp("203.0.113.5"), "203.0.113.5");
    assert.equal(canonicalIp(" 203.0.113.5\t"), "203.0.113.5");
    assert.equal(canonicalIp("010.0.0.1"), "10.0.0.1");
    assert.equal(canonicalIp("256.0.0.1"), null);
  });
});
