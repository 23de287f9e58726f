import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { SmartnodeEntry } from "./config.ts";
import { matchFleet, mergeSmartnodes, type FleetNode } from "./smartnode-match.ts";

const TX = (c: string) => c.repeat(64);
const entry = (alias: string, address: string, txid = TX("a"), index = 0): SmartnodeEntry => ({ alias, address, txid, index });

describe("matchFleet", () => {
  const nodes: FleetNode[] = [
    { name: "sn-ewr-001", source: "provider", id: "i-1", addresses: ["203.0.113.5", "2001:db8::5"] },
    { name: "sn-ams-001", source: "provider", id: "i-2", addresses: ["203.0.113.6"] },
    { name: "home-node", source: "static", addresses: ["::ffff:198.51.100.7"] },
  ];

  it("finds each entry's node by IP, whatever the port and the way the address is written", () => {
    const { matches, withoutEntry } = matchFleet([entry("a", "[2001:DB8:0::5]:9678"), entry("b", "198.51.100.7:19678"), entry("c", "192.0.2.1:9678")], nodes);
    assert.deepEqual(matches.map((m) => [m.entry.alias, m.node?.name]), [["a", "sn-ewr-001"], ["b", "home-node"], ["c", undefined]]);
    assert.deepEqual(withoutEntry.map((n) => n.name), ["sn-ams-001"]);
  });
});

describe("mergeSmartnodes", () => {
  it("replaces entries of the same alias in place, keeps the others and appends the new ones", () => {
    const m = mergeSmartnodes(
      [entry("old", "192.0.2.9:9678", TX("9")), entry("sn1", "192.0.2.1:9678", TX("1"))],
      [entry("sn1", "192.0.2.11:9678", TX("b"), 1), entry("sn2", "192.0.2.2:9678", TX("2"))],
    );
    assert.deepEqual(m.entries.map((e) => [e.alias, e.address]), [["old", "192.0.2.9:9678"], ["sn1", "192.0.2.11:9678"], ["sn2", "192.0.2.2:9678"]]);
    assert.deepEqual([m.added, m.replaced, m.kept, m.conflicts], [["sn2"], ["sn1"], ["old"], []]);
  });

  it("names a kept entry that has an imported entry's IP or collateral", () => {
    const m = mergeSmartnodes(
      [entry("old", "192.0.2.1:9678", TX("9")), entry("older", "192.0.2.8:9678", TX("2"), 4)],
      [entry("sn1", "192.0.2.1:9678", TX("1")), entry("sn2", "192.0.2.2:9678", TX("2"), 4)],
    );
    assert.deepEqual(m.conflicts, [
      "smartnodes[0] (old) has the IP of sn1 (192.0.2.1:9678)",
      "smartnodes[1] (older) has the collateral of sn2",
    ]);
  });
});
