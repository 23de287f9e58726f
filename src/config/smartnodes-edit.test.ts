import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError } from "../core/errors.ts";
import { starterConfig } from "./init.ts";
import { parseConfigText } from "./load.ts";
import { smartnodesBlock, upsertSmartnodes, type SmartnodeItem } from "./smartnodes-edit.ts";
import { BASE_CONFIG as BASE } from "../../test/helpers/config.ts";

const TX1 = "2bcd3c84c84f87eaa86e4e56834c92927a07f9e18718810b92e0d0324456a67c";
const TX2 = "4e2a7d4bd1c0d7a0f6c4b1e0a5e7b7f0d3c2b1a09f8e7d6c5b4a39281706f9f1";
const sn1: SmartnodeItem = { alias: "sn1", address: "203.0.113.5:9678", txid: TX1, index: 0 };
const sn2: SmartnodeItem = { alias: "узел-2", address: "[2001:db8::5]:9678", txid: TX2, index: 1, note: "2001:db8::5 is no selected instance" };

const smartnodesOf = (text: string) => parseConfigText(text, "nodeward.yaml").config.smartnodes;
const strip = ({ alias, address, txid, index }: SmartnodeItem) => ({ alias, address, txid, index });

describe("upsertSmartnodes", () => {
  it("turns the starter's `smartnodes: []` into a block list and leaves every other byte of the file alone", () => {
    const before = starterConfig();
    const after = upsertSmartnodes(before, [sn1, sn2]);
    assert.deepEqual(smartnodesOf(after), [strip(sn1), strip(sn2)]);
    const keyLine = before.split("\n").findIndex((l) => l.startsWith("smartnodes:"));
    const [b, a] = [before.split("\n"), after.split("\n")];
    assert.deepEqual(a.slice(0, keyLine), b.slice(0, keyLine), "the lines above are untouched");
    assert.match(a[keyLine] ?? "", /^smartnodes:\s+# \S/, "the key keeps its comment");
    assert.deepEqual(a.slice(keyLine + 10), b.slice(keyLine + 1), "the lines below are untouched (9 lines added: 2 entries and a note)");
    assert.match(after, /\n {2}# nodeward import: 2001:db8::5 is no selected instance\n {2}- alias: узел-2\n/);
  });

  it("adds the key at the end of a file that has none", () => {
    const after = upsertSmartnodes(`${BASE}# last words\n`, [sn1]);
    assert.ok(after.startsWith(`${BASE}# last words\n\nsmartnodes:\n  - alias: sn1\n`), after);
    assert.deepEqual(smartnodesOf(after), [strip(sn1)]);
  });

  it("fills `smartnodes:` with no value, keeping a comment on its line", () => {
    const after = upsertSmartnodes(`${BASE}smartnodes:   # from the wallet\nnetview: {enabled: true}\n`, [sn1]);
    assert.ok(after.startsWith(`${BASE}smartnodes:   # from the wallet\n  - alias: sn1\n`), after);
    assert.ok(after.endsWith("    index: 0\nnetview: {enabled: true}\n"), after);
  });

  it("replaces only the changed values of an entry of the same alias, keeping its comments, and appends new ones", () => {
    const before = `${BASE}smartnodes:
  # the first one, bought in 2018
  - alias: sn1          # Frankfurt
    address: 192.0.2.1:9678   # moved since
    txid: ${TX1.toUpperCase()}
    index: 0
  - {alias: other, address: "192.0.2.7:9678", txid: ${TX2}, index: 5}
# netview comes next
netview: {}
`;
    const after = upsertSmartnodes(before, [sn1, sn2]);
    assert.equal(after, before
      .replace("192.0.2.1:9678   # moved", "203.0.113.5:9678   # moved")
      .replace("index: 5}\n", `index: 5}\n  # nodeward import: 2001:db8::5 is no selected instance\n  - alias: узел-2\n    address: "[2001:db8::5]:9678"\n    txid: ${TX2}\n    index: 1\n`));
    assert.deepEqual(smartnodesOf(after).map((e) => e.alias), ["sn1", "other", "узел-2"]);
  });

  it("edits an entry written as a flow mapping with quoted values", () => {
    const before = `${BASE}smartnodes:\n  - {alias: sn1, address: "192.0.2.1:9678", txid: ${TX1}, index: 4}  # mine\n`;
    assert.equal(upsertSmartnodes(before, [sn1]), before.replace('"192.0.2.1:9678"', '"203.0.113.5:9678"').replace("index: 4}", "index: 0}"));
  });

  it("replaces its own note on the next import and drops it once the entry matches", () => {
    const once = upsertSmartnodes(BASE, [sn2]);
    const again = upsertSmartnodes(once, [{ ...sn2, note: "still nothing" }]);
    assert.equal(again, once.replace("2001:db8::5 is no selected instance", "still nothing"));
    const matched = upsertSmartnodes(again, [strip(sn2)]);
    assert.ok(!matched.includes("# nodeward import"), matched);
    assert.deepEqual(smartnodesOf(matched), [strip(sn2)]);
  });

  it("quotes what YAML would read as another type, and keeps a note on one line", () => {
    const odd: SmartnodeItem = { alias: "yes", address: "192.0.2.1:9678", txid: "1".repeat(64), index: 2, note: "a\nb: c" };
    const after = upsertSmartnodes(BASE, [odd]);
    assert.deepEqual(smartnodesOf(after), [strip(odd)]);
    assert.match(after, /# nodeward import: a\\nb: c\n/);
  });

  it("refuses a file whose top level is a flow mapping", () => {
    assert.throws(() => upsertSmartnodes("{version: 1, coin: smartcash, nodes: {tags: [a]}}\n", [sn1]), (e: unknown) => e instanceof AppError && e.code === "USAGE");
  });
});

describe("smartnodesBlock", () => {
  it("prints a block that is valid nodeward.yaml", () => {
    const block = smartnodesBlock([sn1, sn2]);
    assert.match(block, /^smartnodes:\n {2}- alias: sn1\n/);
    assert.deepEqual(smartnodesOf(BASE + block), [strip(sn1), strip(sn2)]);
  });

  it("reads back every alias smartnode.conf can hold, however YAML would take it plain", () => {
    const aliases = ["*x", "&a", "!t", "%p", "@a", "`b", "sn1:", "a:b", "yes", "null", "~", "0x10", "1e3", "'q", '"d', "[a]", "{b}", "a,b", "|", ">", "?", "-", "---", "a#b", "ノード", "عقدة"];
    const items = aliases.map((alias, i) => ({ alias, address: `192.0.2.${i + 1}:9678`, txid: TX1, index: i }));
    assert.deepEqual(smartnodesOf(BASE + smartnodesBlock(items)), items);
    assert.deepEqual(smartnodesOf(upsertSmartnodes(upsertSmartnodes(BASE, items), items.map((i) => ({ ...i, index: i.index + 100 })))).map((e) => [e.alias, e.index]), aliases.map((a, i) => [a, i + 100]));
  });
});
