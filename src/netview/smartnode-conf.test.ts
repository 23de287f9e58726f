import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { matchKey, parseSmartnodeConf } from "./smartnode-conf.ts";

/** Recognisable and fake: it must show up nowhere but in onKey. */
const KEY = "7sFAKEsmartnodeKEYneverPRINTEDxxQq1Yc1K64xiqgX37tGB";
const TX1 = "2bcd3c84c84f87eaa86e4e56834c92927a07f9e18718810b92e0d0324456a67c";
const TX2 = "4e2a7d4bd1c0d7a0f6c4b1e0a5e7b7f0d3c2b1a09f8e7d6c5b4a39281706f9f1";

/** Core-Smart src/smartnode/smartnodeconfig.cpp @0f6029c1, strHeader: what Core writes into a new file. */
const CORE_HEADER = "# Smartnode config file\n" +
  "# Format: alias IP:port smartnodeprivkey collateral_output_txid collateral_output_index\n" +
  "# Example: sn1 127.0.0.2:9678 93HaYBVUCYjEMeeH1Y4sBGLALQZE1Yc1K64xiqgX37tGBDQL8Xg 2bcd3c84c84f87eaa86e4e56834c92927a07f9e18718810b92e0d0324456a67c 0\n";

/** Parses and checks that the key reached onKey only. */
function parse(text: string) {
  const keys: string[] = [];
  const result = parseSmartnodeConf(text, { onKey: (k) => keys.push(k) });
  const shown = JSON.stringify(result);
  assert.ok(!shown.includes(KEY), `the key leaked: ${shown}`);
  assert.ok(!shown.includes(KEY.slice(10, 30)), `part of the key leaked: ${shown}`);
  return { ...result, keys };
}

describe("parseSmartnodeConf", () => {
  it("reads the file SmartCash Core writes: its header is comments only", () => {
    assert.deepEqual(parse(CORE_HEADER), { entries: [], problems: [], keys: [] });
  });

  it("reads alias, IP:port and collateral of each line, and never keeps the key", () => {
    const r = parse(`${CORE_HEADER}sn1 203.0.113.5:9678 ${KEY} ${TX1} 0\nsn2 [2001:DB8::5]:9678 ${KEY}2 ${TX2.toUpperCase()} 1\n`);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.entries, [
      { line: 4, alias: "sn1", address: "203.0.113.5:9678", ip: "203.0.113.5", port: 9678, txid: TX1, index: 0 },
      { line: 5, alias: "sn2", address: "[2001:DB8::5]:9678", ip: "2001:db8::5", port: 9678, txid: TX2, index: 1 },
    ]);
    assert.deepEqual(r.keys, [KEY, `${KEY}2`]);
  });

  it("takes a byte-order mark, CRLF, tabs, runs of spaces, blank lines with spaces, indented comments and extra columns", () => {
    const text = `\uFEFFsn1\t203.0.113.5:9678   ${KEY}\t\t${TX1}  0 # my first node\r\n   \r\n\t# sn0 1.2.3.4:9678 old\r\n\r\n  sn2 203.0.113.6:9678 ${KEY}2 ${TX2} 7\r\n`;
    const r = parse(text);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.entries.map((e) => [e.line, e.alias, e.address, e.index]), [[1, "sn1", "203.0.113.5:9678", 0], [5, "sn2", "203.0.113.6:9678", 7]]);
  });

  it("takes a line whose key was removed before the file left the wallet machine", () => {
    const r = parse(`sn1 203.0.113.5:9678 ${TX1} 3\n`);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.keys, []);
    assert.deepEqual(r.entries.map((e) => [e.alias, e.txid, e.index]), [["sn1", TX1, 3]]);
  });

  it("keeps aliases in any script", () => {
    const r = parse(`узел-1 203.0.113.5:9678 ${KEY} ${TX1} 0\nノード二 203.0.113.6:9678 ${KEY}2 ${TX1} 1\nعقدة 203.0.113.7:9678 ${KEY}3 ${TX2} 0\n`);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.entries.map((e) => e.alias), ["узел-1", "ノード二", "عقدة"]);
  });

  const rejected: [string, string, RegExp][] = [
    ["too few columns", `sn1 203.0.113.5:9678 ${KEY}`, /^expected 5 columns \(alias IP:port smartnodeprivkey txid index\), found 3$/],
    ["a host name", `sn1 node.example.com:9678 ${KEY} ${TX1} 0`, /column 2 is not IP:port .*host name is not accepted/],
    ["port 0", `sn1 203.0.113.5:0 ${KEY} ${TX1} 0`, /column 2: the port must be 1–65535/],
    ["a bad IPv4", `sn1 203.0.113.500:9678 ${KEY} ${TX1} 0`, /column 2: the IP address is not a valid/],
    ["no port", `sn1 203.0.113.5 ${KEY} ${TX1} 0`, /column 2 is not IP:port/],
    ["a short txid", `sn1 203.0.113.5:9678 ${KEY} ${TX1.slice(1)} 0`, /column 4 \(collateral txid\) must be 64 hex digits, found 63 characters$/],
    ["a negative index", `sn1 203.0.113.5:9678 ${KEY} ${TX1} -1`, /column 5 \(collateral output index\) must be a whole number/],
    ["the null outpoint", `sn1 203.0.113.5:9678 ${KEY} ${"0".repeat(64)} 4294967295`, /columns 4–5: collateral output index must be 0–4294967294/],
    ["an escape in the alias", `sn\u001b[31m1 203.0.113.5:9678 ${KEY} ${TX1} 0`, /column 1 \(alias\) has an invisible or control character \(U\+001B\) at character 3/],
    ["a right-to-left override in the alias", `ab\u202Ecd 203.0.113.5:9678 ${KEY} ${TX1} 0`, /\(U\+202E\) at character 3/],
    ["a NUL in the alias", `\u0000 203.0.113.5:9678 ${KEY} ${TX1} 0`, /\(U\+0000\) at character 1/],
    ["a 10 KB alias", `${"ж".repeat(10_240)} 203.0.113.5:9678 ${KEY} ${TX1} 0`, /column 1 \(alias\) is 10240 characters long; nodeward keeps aliases of at most 64/],
    ["a 10 KB line of one column", `${KEY}${"x".repeat(10_240)}`, /found 1$/],
    ["a 10 KB txid", `sn1 203.0.113.5:9678 ${KEY} ${"é".repeat(10_240)} 0`, /found 10240 characters, some of them not ASCII$/],
  ];
  for (const [name, line, message] of rejected) {
    it(`says what is wrong with ${name}, with the line number, without quoting the line`, () => {
      const r = parse(`# header\n${line}\r\nsn9 203.0.113.9:9678 ${KEY}9 ${TX2} 9\n`);
      assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
      assert.equal(r.problems[0]?.line, 2);
      assert.match(r.problems[0]?.message ?? "", message);
      assert.ok((r.problems[0]?.message.length ?? 0) < 200, "a message stays short whatever the line");
      assert.deepEqual(r.entries.map((e) => e.alias), ["sn9"], "the other lines are still read");
    });
  }

  it("refuses a second line with the alias, IP, key or collateral of an earlier one, naming that line", () => {
    const r = parse([
      `sn1 203.0.113.5:9678 ${KEY} ${TX1} 0`,
      `sn1 203.0.113.6:9678 ${KEY}2 ${TX1} 1`,
      `sn3 [::ffff:203.0.113.5]:9678 ${KEY}3 ${TX1} 2`,
      `sn4 203.0.113.8:9678 ${KEY} ${TX1} 3`,
      `sn5 203.0.113.9:9678 ${KEY}5 ${TX1.toUpperCase()} 0`,
      `sn6 203.0.113.6:9678 ${KEY}6 ${TX2} 0`,
    ].join("\n"));
    assert.deepEqual(r.problems.map((p) => [p.line, p.message.replace(/:.*/, "")]), [
      [2, "the same alias as line 1"],
      [3, "the same IP address as line 1"],
      [4, "the same smartnodeprivkey as line 1"],
      [5, "the same collateral (txid and index) as line 1"],
    ]);
    assert.deepEqual(r.entries.map((e) => e.alias), ["sn1", "sn6"], "a refused line does not claim its alias or IP");
  });

  it("never puts the key in a message, whatever column it lands in", () => {
    const columns = ["sn1", "203.0.113.5:9678", KEY, TX1, "0", "extra"];
    let lines = 0;
    for (let drop = 0; drop <= columns.length; drop++) {
      for (let shift = 0; shift < columns.length; shift++) {
        const cols = columns.filter((_, i) => i !== drop);
        const line = [...cols.slice(shift), ...cols.slice(0, shift)].join(" ");
        for (const text of [line, `${line}\u0000`, line.replace(KEY, `${KEY}:9678`), line.replace(KEY, `[${KEY}]:1`)]) {
          parse(text);
          lines++;
        }
      }
    }
    assert.ok(lines > 100);
  });
});

describe("matchKey", () => {
  it("writes each address one way", () => {
    assert.equal(matchKey("2001:DB8:0:0::5"), "2001:db8::5");
    assert.equal(matchKey("::ffff:127.177.0.5"), "127.177.0.5");
    assert.equal(matchKey("203.0.113.5"), "203.0.113.5");
  });
});
