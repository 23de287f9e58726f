import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { findCoin } from "../coins/index.ts";
import { checksumOf, wireHash } from "./checksum.ts";
import { encodeFrame, hexOf } from "./frame.ts";
import { frameMessage } from "./messages.ts";
import { BITCOIN_MAINNET, p2pParamsFor, type P2pParams } from "./params.ts";
import { decodeVersion, encodeVersion, type VersionMessage } from "./version.ts";
import { ByteWriter } from "./wire.ts";

const smartcash = p2pParamsFor(findCoin("smartcash")!) as P2pParams;

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));

/** The version example of NOTES §1.6, built field by field by hand (not by the encoder). */
const VERSION_FIELDS = {
  version: "b35f0100", // 90035
  services: "0500000000000000", // NODE_NETWORK | NODE_BLOOM
  timestamp: "00f1536500000000", // 1700000000
  addrRecvTime: "00e1f505", // 100000000
  addrRecv: "0000000000000000" + "00000000000000000000ffff7f000001" + "25ce", // [127.0.0.1]:9678
  addrFromTime: "00e1f505",
  addrFrom: "0500000000000000" + "00000000000000000000000000000000" + "0000", // [::]:0
  nonce: "0807060504030201",
  userAgent: "16" + Buffer.from("/SmartCash Core:2.1.1/").toString("hex"),
  startHeight: "80841e00", // 2000000
  relay: "01",
};

const example: VersionMessage = {
  version: 90035,
  services: 5n,
  timestamp: 1_700_000_000n,
  addrRecv: { time: 100_000_000, services: 0n, ip: "127.0.0.1", port: 9678 },
  addrFrom: { time: 100_000_000, services: 5n, ip: "::", port: 0 },
  nonce: 0x0102030405060708n,
  userAgent: "/SmartCash Core:2.1.1/",
  startHeight: 2_000_000,
  relay: true,
};

describe("golden vectors", () => {
  it("hashes the SmartCash mainnet genesis header with one Keccak-256 to 000007ac…05a4", () => {
    // chainparams.cpp: CreateGenesisBlock(1496467978, 245887, 0x1e0ffff0, 2, …); merkle root from its assert.
    const merkle = hex("b79187d8ce4d5ec398730dd34276248f1e7b09d98ca29b829e5e5e67ff21d462").reverse();
    const header = new ByteWriter(80).i32le(2).bytes(new Uint8Array(32)).bytes(merkle).u32le(1496467978).u32le(0x1e0ffff0).u32le(245887).finish();
    assert.equal(header.length, 80);
    assert.equal(hexOf(wireHash("keccak256", header).reverse()), "000007acc6970b812948d14ea5a0a13db0fdd07d5047c7e69101fa8b361e05a4");
  });

  it("frames a SmartCash verack as 5ca1ab1e 'verack' 0 c5d24601", () => {
    const frame = frameMessage(smartcash, { type: "verack" });
    assert.equal(hexOf(frame), "5ca1ab1e" + "76657261636b000000000000" + "00000000" + "c5d24601");
  });

  it("uses 5df6e0e2 as Bitcoin's checksum of an empty payload", () => {
    assert.equal(hexOf(checksumOf("sha256d", new Uint8Array(0))), "5df6e0e2");
    assert.equal(hexOf(frameMessage(BITCOIN_MAINNET, { type: "verack" }).subarray(20)), "5df6e0e2");
  });

  it("encodes the SmartCash version example as the 116 bytes written by hand", () => {
    const payload = encodeVersion(example, smartcash);
    assert.equal(payload.length, 116);
    assert.equal(hexOf(payload), Object.values(VERSION_FIELDS).join(""));
  });

  it("frames that version with header 5ca1ab1e 'version' 74000000 and the payload's Keccak-256", () => {
    const frame = frameMessage(smartcash, { type: "version", version: example });
    const sum = hexOf(keccak_256(frame.subarray(24)).subarray(0, 4));
    assert.equal(hexOf(frame.subarray(0, 24)), "5ca1ab1e" + "76657273696f6e0000000000" + "74000000" + sum);
  });

  it("encodes the same version in Bitcoin's layout as 108 bytes, without the address times", () => {
    const payload = encodeVersion(example, BITCOIN_MAINNET);
    assert.equal(payload.length, 108);
    const f = VERSION_FIELDS;
    const want = [f.version, f.services, f.timestamp, f.addrRecv, f.addrFrom, f.nonce, f.userAgent, f.startHeight, f.relay].join("");
    assert.equal(hexOf(payload), want);
  });

  it("reads the hand-written 116 bytes back into the example", () => {
    const got = decodeVersion(hex(Object.values(VERSION_FIELDS).join("")), smartcash);
    assert.deepEqual(got, { kind: "ok", value: example });
  });

  it("frames with the bytes of the magic as written, not as a little-endian number", () => {
    assert.equal(hexOf(encodeFrame({ magic: hex("fabfb5da"), checksum: "sha256d" }, "ping", new Uint8Array(8)).subarray(0, 4)), "fabfb5da");
  });
});
