import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseHostCommand } from "./hosted-node.ts";

const txid = "4e".repeat(32);
const line = (o: object) => JSON.stringify(o);

describe("the world's host commands", () => {
  const good: [string, object][] = [
    ["add with a collateral", { op: "add", seq: 1, id: "i-1", addresses: ["198.18.0.1"], height: 5, collateral: { txid, index: 1 } }],
    ["add without one", { op: "add", seq: 2, id: "i-1", addresses: ["198.18.0.1", "2001:db8:7e::1"], height: 5 }],
    ["network: fresh", { op: "network", seq: 3, id: "i-1", ping: "fresh" }],
    ["network: a ping 70 minutes old, node not synced", { op: "network", seq: 4, id: "i-1", ping: { staleMinutes: 70 }, synced: false }],
    ["network: no ping", { op: "network", seq: 5, id: "i-1", ping: "none" }],
    ["network: unlisted", { op: "network", seq: 6, id: "i-1", ping: "unlisted", synced: true }],
  ];
  for (const [name, cmd] of good) {
    it(`reads ${name}`, () => assert.deepEqual(parseHostCommand(line(cmd)), { ok: true, command: cmd }));
  }

  const bad: [string, object][] = [
    ["a collateral txid in capitals", { op: "add", seq: 7, id: "i", addresses: ["198.18.0.1"], height: 1, collateral: { txid: txid.toUpperCase(), index: 0 } }],
    ["the null outpoint's index", { op: "add", seq: 7, id: "i", addresses: ["198.18.0.1"], height: 1, collateral: { txid, index: 0xffffffff } }],
    ["a collateral with an extra key", { op: "add", seq: 7, id: "i", addresses: ["198.18.0.1"], height: 1, collateral: { txid, index: 0, key: "5K…" } }],
    ["a network command without a ping", { op: "network", seq: 7, id: "i" }],
    ["a negative stale age", { op: "network", seq: 7, id: "i", ping: { staleMinutes: -5 } }],
    ["a ping word it does not know, with CR/LF and quotes", { op: "network", seq: 7, id: "i", ping: "stale\r\n\"" }],
    ["synced as a string", { op: "network", seq: 7, id: "i", ping: "fresh", synced: "false" }],
    ["an unknown key (a typo)", { op: "network", seq: 7, id: "i", ping: "fresh", syncd: false }],
    ["a 10 KB id in a command that has no such op", { op: "networks", seq: 7, id: "ü".repeat(10_000) }],
  ];
  for (const [name, cmd] of bad) {
    it(`refuses ${name}, naming the seq so only that call fails`, () => {
      const r = parseHostCommand(line(cmd));
      assert.ok(!r.ok);
      assert.equal(r.seq, 7);
    });
  }

  it("refuses a line that is not JSON without a seq (the world stops: its channel is broken)", () => {
    const r = parseHostCommand("{op: network");
    assert.ok(!r.ok && r.seq === undefined && /not JSON/.test(r.error));
  });
});
