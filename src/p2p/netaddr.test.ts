import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ipFromBytes, ipToBytes } from "./netaddr.ts";

describe("addresses inside version", () => {
  const table: [string, string, string][] = [
    ["127.0.0.1", "00000000000000000000ffff7f000001", "127.0.0.1"],
    ["::ffff:192.0.2.1", "00000000000000000000ffffc0000201", "192.0.2.1"],
    ["::", "00000000000000000000000000000000", "::"],
    ["::1", "00000000000000000000000000000001", "::1"],
    ["[2001:db8::7]", "20010db8000000000000000000000007", "2001:db8::7"],
    ["2001:DB8:0:0:0:0:0:7", "20010db8000000000000000000000007", "2001:db8::7"],
  ];
  for (const [text, hex, back] of table) {
    it(`writes ${text} as ${hex} and reads it back as ${back}`, () => {
      assert.equal(Buffer.from(ipToBytes(text)).toString("hex"), hex);
      assert.equal(ipFromBytes(Uint8Array.from(Buffer.from(hex, "hex"))), back);
    });
  }

  it("refuses text that is not an address", () => {
    assert.throws(() => ipToBytes("256.1.1.1"), /IPv4 or IPv6/);
    assert.throws(() => ipToBytes("node.example"), /IPv4 or IPv6/);
  });
});
