import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { SmartnodeEntry } from "./config.ts";
import { resolveTarget } from "./resolve-target.ts";

const txid = (n: number) => n.toString(16).padStart(64, "0");
const entries: SmartnodeEntry[] = [
  { alias: "mn1", address: "203.0.113.5:9678", txid: txid(1), index: 0 },
  { alias: "mn2", address: "[2001:db8::7]:9678", txid: txid(2), index: 1 },
  { alias: "mn3a", address: "198.51.100.3:9678", txid: txid(3), index: 0 },
  { alias: "mn3b", address: "198.51.100.3:9679", txid: txid(3), index: 1 },
];
const nodes = [
  { name: "vultr-1", id: "i-1", addresses: ["203.0.113.5", "2001:db8::5"] },
  { name: "home", addresses: ["2001:DB8:0::7"] },
  { name: "twin", addresses: ["198.51.100.3"] },
  { name: "bare", addresses: ["192.0.2.1"] },
];

describe("resolveTarget", () => {
  it("takes an alias, with the addresses of the node that has its IP", () => {
    const r = resolveTarget("mn1", entries, nodes, 9678);
    assert.deepEqual(r, { kind: "target", target: { nodeId: "i-1", alias: "mn1", outpoint: { txid: txid(1), index: 0 }, expected: { ips: ["203.0.113.5", "2001:db8::5"], port: 9678 } } });
  });

  it("takes a watched node's name or id when one entry has its address, however the address is written", () => {
    const r = resolveTarget("home", entries, nodes, 9678);
    assert.equal(r.kind === "target" && r.target.alias, "mn2");
    assert.equal(resolveTarget("i-1", entries, nodes, 9678).kind, "target");
  });

  it("takes an outpoint as given, with its entry's alias when the config has one", () => {
    const known = resolveTarget(`${txid(2)}:1`, entries, nodes, 9678);
    assert.equal(known.kind === "target" && known.target.alias, "mn2");
    assert.deepEqual(resolveTarget(`${txid(9)}-4`, entries, nodes, 9678), {
      kind: "target",
      target: { nodeId: `${txid(9)}-4`, alias: "", outpoint: { txid: txid(9), index: 4 }, expected: { ips: [], port: 9678 } },
    });
  });

  it("says why it cannot choose: no entry, several entries, a bad outpoint, an unknown name", () => {
    assert.match(JSON.stringify(resolveTarget("bare", entries, nodes, 9678)), /has no entry in smartnodes/);
    assert.match(JSON.stringify(resolveTarget("twin", entries, nodes, 9678)), /several smartnodes entries \(mn3a, mn3b\).*name one by its alias/);
    assert.match(JSON.stringify(resolveTarget(`${txid(1)}-4294967295`, entries, nodes, 9678)), /output index must be 0–4294967294/);
    assert.deepEqual(resolveTarget("nobody", entries, nodes, 9678), { kind: "unknown" });
  });
});
