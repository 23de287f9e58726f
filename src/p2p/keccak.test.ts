import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { keccak256, keccak256Word } from "./keccak.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("keccak256", () => {
  it("hashes the empty input to Keccak-256's c5d2…a470 (original padding, not SHA3-256's a7ff…434a)", () => {
    assert.equal(hex(keccak256(new Uint8Array(0))), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  });

  it("hashes 'abc' to 4e03…8d45", () => {
    assert.equal(hex(keccak256(new TextEncoder().encode("abc"))), "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  });

  it("agrees with @noble/hashes on every length from 0 to 3 blocks, across each block boundary", () => {
    for (let n = 0; n <= 3 * 136 + 1; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 151 + n * 7 + 13) & 0xff);
      assert.equal(hex(keccak256(data)), hex(keccak_256(data)), `length ${n}`);
      assert.equal(keccak256Word(data), Buffer.from(keccak_256(data)).readUInt32LE(0), `word of length ${n}`);
    }
  });

  it("agrees with @noble/hashes on a 1 MB payload of every byte value", () => {
    const data = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i ^ (i >>> 8) ^ (i >>> 16)) & 0xff);
    assert.equal(hex(keccak256(data)), hex(keccak_256(data)));
  });

  it("hashes a subarray by its own bytes, not its buffer's", () => {
    const whole = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    assert.equal(hex(keccak256(whole.subarray(17, 217))), hex(keccak_256(whole.slice(17, 217))));
  });
});
