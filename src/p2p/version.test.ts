import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findCoin } from "../coins/index.ts";
import { BITCOIN_MAINNET, p2pParamsFor, type P2pParams } from "./params.ts";
import { decodeVersion, encodeVersion, type VersionLayout, type VersionMessage } from "./version.ts";

const smartcash = p2pParamsFor(findCoin("smartcash")!) as P2pParams;
const dash: VersionLayout = { addrWithTime: false, versionExtra: "dash-mnauth" };

function full(layout: VersionLayout): VersionMessage {
  const t = layout.addrWithTime ? { time: 1_700_000_123 } : {};
  return {
    version: 90035,
    services: 0x405n,
    timestamp: 1_700_000_000n,
    addrRecv: { ...t, services: 1n, ip: "2001:db8::7", port: 9678 },
    addrFrom: { ...t, services: 5n, ip: "203.0.113.9", port: 19678 },
    nonce: 0xfedcba9876543210n,
    userAgent: "/SmartCash Core:2.1.1(ünïcode)/",
    startHeight: -1,
    relay: false,
  };
}

describe("version round trips", () => {
  const layouts: [string, VersionLayout][] = [
    ["SmartCash (30-byte addresses)", smartcash],
    ["Bitcoin (26-byte addresses)", BITCOIN_MAINNET],
    ["Dash (26-byte addresses, mnauth after relay)", dash],
  ];
  for (const [name, layout] of layouts) {
    it(`reads back every field in the ${name} layout`, () => {
      const m = full(layout);
      if (layout.versionExtra) Object.assign(m, { mnAuthChallenge: new Uint8Array(32).fill(0xab), masternodeConnection: true });
      assert.deepEqual(decodeVersion(encodeVersion(m, layout), layout), { kind: "ok", value: m });
    });
  }

  it("ignores the Dash fields when the layout has none, as SmartCash ignores trailing bytes", () => {
    const m = { ...full(dash), mnAuthChallenge: new Uint8Array(32), masternodeConnection: false };
    const got = decodeVersion(encodeVersion(m, dash), BITCOIN_MAINNET);
    assert.deepEqual(got, { kind: "ok", value: full(dash) });
  });

  it("refuses to write a user agent over 256 bytes", () => {
    assert.throws(() => encodeVersion({ ...full(smartcash), userAgent: "x".repeat(257) }, smartcash), /at most 256 bytes/);
  });
});

describe("version with a truncated tail (fields after addr_recv only if present)", () => {
  const m = full(smartcash);
  const bytes = encodeVersion(m, smartcash);
  const { addrFrom, nonce, userAgent, startHeight, relay, ...head } = m;
  // offsets: 0 version, 4 services, 12 time, 20 addr_recv (30), 50 addr_from (30), 80 nonce, 88 user agent, then height and relay
  const h = 88 + 1 + Buffer.byteLength(userAgent ?? "");
  const table: [string, number, VersionMessage | string][] = [
    ["only the required fields", 50, head],
    ["addr_from and nonce", 88, { ...head, addrFrom, nonce }],
    ["up to the user agent", h, { ...head, addrFrom, nonce, userAgent }],
    ["up to the start height", h + 4, { ...head, addrFrom, nonce, userAgent, startHeight }],
    ["everything", h + 5, { ...head, addrFrom, nonce, userAgent, startHeight, relay }],
    ["half of addr_recv", 35, "truncated version.addr_recv.ip"],
    ["addr_from without the nonce", 84, "truncated version.nonce"],
    ["a user agent cut in the middle", 100, "truncated version.user_agent"],
    ["two bytes of the start height", h + 2, "truncated version.start_height"],
    ["nothing", 0, "truncated version.version"],
  ];
  for (const [name, length, want] of table) {
    it(`reads ${name} (${length} bytes)`, () => {
      const got = decodeVersion(bytes.subarray(0, length), smartcash);
      if (typeof want === "string") assert.equal(got.kind === "error" ? `${got.error.code} ${got.error.field}` : "ok", want);
      else assert.deepEqual(got, { kind: "ok", value: want });
    });
  }

  it("refuses a user agent whose length says 257 bytes", () => {
    const b = Uint8Array.from(bytes.subarray(0, 88));
    const got = decodeVersion(Uint8Array.from([...b, 0xfd, 0x01, 0x01, ...new Array(257).fill(0x41)]), smartcash);
    assert.equal(got.kind === "error" && got.error.code, "too-large");
  });

  it("misreads a Bitcoin-layout version as SmartCash by 4 bytes per address (NOTES §1.6)", () => {
    const got = decodeVersion(encodeVersion(full(BITCOIN_MAINNET), BITCOIN_MAINNET), smartcash);
    assert.ok(got.kind === "error" || got.value.userAgent !== full(BITCOIN_MAINNET).userAgent);
  });
});
