import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ByteReader, ByteWriter } from "./wire.ts";

const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));

describe("CompactSize", () => {
  const reads: [string, string, number, number | string][] = [
    ["one byte", "fc", 1000, 252],
    ["0xfd form", "fdfd00", 1000, 253],
    ["0xfe form", "fe00000100", 1 << 20, 65536],
    ["0xff form", "ff0000000001000000", 2 ** 33, 2 ** 32],
    ["a 0xfd form of a value below 253", "fdfc00", 1000, "non-canonical"],
    ["a 0xfe form of a value below 65536", "feffff0000", 1 << 20, "non-canonical"],
    ["a 0xff form of a value below 2^32", "ffffffffff00000000", 2 ** 40, "non-canonical"],
    ["a length over the cap", "fd0001", 255, "too-large"],
    ["a one-byte length over the cap", "fc", 251, "too-large"],
    ["a one-byte length at the cap", "0a", 10, 10],
    ["2^64 - 1", "ffffffffffffffffff", 2 ** 40, "too-large"],
    ["a missing second byte", "fd00", 1000, "truncated"],
    ["nothing", "", 1000, "truncated"],
  ];
  for (const [name, input, max, want] of reads) {
    it(`reads ${name} as ${want}`, () => {
      const r = new ByteReader(hex(input));
      const n = r.compactSize("n", max);
      if (typeof want === "number") {
        assert.equal(r.error, undefined);
        assert.equal(n, want);
      } else {
        assert.equal(r.error?.code, want);
      }
    });
  }

  const writes: [number, string][] = [
    [0, "00"],
    [252, "fc"],
    [253, "fdfd00"],
    [65535, "fdffff"],
    [65536, "fe00000100"],
    [2 ** 32, "ff0000000001000000"],
  ];
  for (const [n, want] of writes) {
    it(`writes ${n} in its shortest form ${want}`, () => {
      assert.equal(Buffer.from(new ByteWriter().compactSize(n).finish()).toString("hex"), want);
    });
  }
});

describe("var_str and the sticky reader", () => {
  it("reads a string within its limit", () => {
    const r = new ByteReader(hex("03616263"));
    assert.equal(r.varStr("s", 3), "abc");
    assert.equal(r.remaining, 0);
  });

  it("refuses a string longer than its limit before reading it, as LIMITED_STRING does", () => {
    const r = new ByteReader(hex("04616263"));
    assert.equal(r.varStr("s", 3), "");
    assert.deepEqual(r.error, { code: "too-large", field: "s", detail: "length 4 is over the limit of 3" });
  });

  it("reports a string cut short as truncated", () => {
    const r = new ByteReader(hex("0561"));
    r.varStr("ua", 256);
    assert.equal(r.error?.code, "truncated");
    assert.equal(r.error?.field, "ua");
  });

  it("keeps the first error and returns zeros afterwards without moving", () => {
    const r = new ByteReader(hex("0102"));
    r.u32le("first");
    assert.equal(r.u8("second"), 0);
    assert.equal(r.remaining, 2);
    assert.equal(r.error?.field, "first");
  });

  it("writes and reads every fixed-size field back", () => {
    const bytes = new ByteWriter(1).u8(7).bool(true).u16be(9678).u32le(0xfffffffe).i32le(-2).u64le(2n ** 64n - 1n).i64le(-5n).varStr("é").finish();
    const r = new ByteReader(bytes);
    assert.deepEqual(
      [r.u8("a"), r.bool("b"), r.u16be("c"), r.u32le("d"), r.i32le("e"), r.u64le("f"), r.i64le("g"), r.varStr("h", 10), r.remaining],
      [7, true, 9678, 0xfffffffe, -2, 2n ** 64n - 1n, -5n, "é", 0],
    );
  });

  it("reads bytes as hex in order and reversed, and as a view, without moving past the end", () => {
    const input = hex("00112233445566778899aabbccddeeff" + "0102");
    const r = new ByteReader(input.subarray(0));
    assert.equal(r.hex(4, "a"), "00112233");
    assert.equal(r.hexReversed(4, "b"), "77665544");
    const v = r.view(8, "c");
    assert.deepEqual([...v], [0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
    assert.equal(v.buffer, input.buffer, "a view shares the input's memory");
    assert.equal(r.hexReversed(3, "d"), "");
    assert.equal(r.error?.code, "truncated");
    assert.equal(r.hex(1, "e"), "");
  });

  it("reverses a 32-byte hash and one longer than its scratch alike", () => {
    for (const n of [32, 64, 65, 200]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37) & 0xff);
      assert.equal(new ByteReader(bytes).hexReversed(n, "h"), Buffer.from(bytes).reverse().toString("hex"));
    }
  });
});
