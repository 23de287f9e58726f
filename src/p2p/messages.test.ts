import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findCoin } from "../coins/index.ts";
import { decodeMessage, encodePayload, REJECT_OBSOLETE, type P2pMessage } from "./messages.ts";
import { p2pParamsFor, type P2pParams } from "./params.ts";

const smartcash = p2pParamsFor(findCoin("smartcash")!) as P2pParams;
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));

describe("message round trips", () => {
  const messages: P2pMessage[] = [
    { type: "verack" },
    { type: "sendheaders" },
    { type: "ping", nonce: 0n },
    { type: "pong", nonce: 2n ** 64n - 1n },
    { type: "reject", reject: { message: "version", code: REJECT_OBSOLETE, reason: "Version must be 90034 or greater" } },
    { type: "reject", reject: { message: "tx", code: 0x10, reason: "bad-txns", data: new Uint8Array(32).fill(9) } },
    { type: "other", command: "getsporks", payload: new Uint8Array(0) },
    { type: "other", command: "mnp", payload: Uint8Array.of(1, 2, 3) },
  ];
  for (const m of messages) {
    it(`reads back ${m.type}${m.type === "other" ? ` (${m.command})` : ""}`, () => {
      const command = m.type === "other" ? m.command : m.type;
      assert.deepEqual(decodeMessage(command, encodePayload(m, smartcash), smartcash), { kind: "ok", value: m });
    });
  }

  it("writes SmartCash's obsolete-version reject byte for byte", () => {
    const m: P2pMessage = { type: "reject", reject: { message: "version", code: 0x11, reason: "Version must be 90034 or greater" } };
    const want = "07" + Buffer.from("version").toString("hex") + "11" + "20" + Buffer.from("Version must be 90034 or greater").toString("hex");
    assert.equal(Buffer.from(encodePayload(m, smartcash)).toString("hex"), want);
  });
});

describe("malformed payloads", () => {
  const table: [string, string, string, string][] = [
    ["a ping without its nonce", "ping", "", "truncated ping.nonce"],
    ["a pong with 7 of 8 bytes", "pong", "01020304050607", "truncated pong.nonce"],
    ["an empty reject", "reject", "", "truncated reject.message"],
    ["a reject whose command is over 12 bytes", "reject", "0d" + "61".repeat(13) + "11" + "00", "too-large reject.message"],
    ["a reject without a code", "reject", "0776657273696f6e", "truncated reject.code"],
    ["a reject with a reason over 111 bytes", "reject", "0776657273696f6e11" + "70" + "61".repeat(112), "too-large reject.reason"],
    ["a reject with 5 bytes of data", "reject", "0776657273696f6e1100" + "0102030405", "truncated reject.data"],
    ["a reject with a non-canonical length", "reject", "fd0700" + "76657273696f6e1100", "non-canonical reject.message"],
    ["a version of 3 bytes", "version", "b35f01", "truncated version.version"],
  ];
  for (const [name, command, payload, want] of table) {
    it(`reports ${name} as ${want}`, () => {
      const got = decodeMessage(command, hex(payload), smartcash);
      assert.equal(got.kind === "error" ? `${got.error.code} ${got.error.field}` : "ok", want);
    });
  }

  it("accepts a verack with stray bytes, as nodes do", () => {
    assert.deepEqual(decodeMessage("verack", Uint8Array.of(1), smartcash), { kind: "ok", value: { type: "verack" } });
  });
});
