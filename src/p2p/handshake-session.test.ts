import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findCoin } from "../coins/index.ts";
import type { FrameEvent } from "./frame-reader.ts";
import { initialSession, sessionStep, type SessionStep } from "./handshake-session.ts";
import { encodePayload, type P2pMessage } from "./messages.ts";
import { p2pParamsFor, type P2pParams } from "./params.ts";

const smartcash = p2pParamsFor(findCoin("smartcash")!) as P2pParams;

const msg = (m: P2pMessage): FrameEvent => ({ kind: "message", command: m.type === "other" ? m.command : m.type, payload: encodePayload(m, smartcash) });
const version = (v: number, ua = "/SmartCash Core:2.1.1/"): FrameEvent =>
  msg({
    type: "version",
    version: { version: v, services: 5n, timestamp: 0n, addrRecv: { services: 0n, ip: "::", port: 0 }, addrFrom: { services: 5n, ip: "::", port: 0 }, nonce: 1n, userAgent: ua, startHeight: 99, relay: true },
  });
const verack = msg({ type: "verack" });

function brief(s: SessionStep): string {
  if (s.kind === "down") return `down ${s.reason}`;
  return `${s.kind}${s.send.length ? ` send ${s.send.map((m) => m.type).join(",")}` : ""}`;
}

describe("outbound handshake session", () => {
  const table: [string, FrameEvent[], string[]][] = [
    ["version then verack is up, and we answer verack", [version(90035), verack], ["wait", "up send verack"]],
    ["verack before version is also up", [verack, version(90035)], ["wait", "up send verack"]],
    ["getsporks and sendheaders in between are ignored", [version(90035), msg({ type: "other", command: "getsporks", payload: new Uint8Array(0) }), verack], ["wait", "wait", "up send verack"]],
    ["a ping is answered with a pong", [msg({ type: "ping", nonce: 5n })], ["wait send pong"]],
    ["a version below the minimum is protocol-too-old", [version(90033)], ["down protocol-too-old"]],
    ["a reject is rejected", [msg({ type: "reject", reject: { message: "version", code: 0x11, reason: "old" } })], ["down rejected"]],
    ["a malformed version is garbage", [{ kind: "message", command: "version", payload: Uint8Array.of(1, 2, 3) }], ["down garbage"]],
    ["a frame of another network is bad-magic", [{ kind: "error", reason: "bad-magic", detail: "x", command: "version" }], ["down bad-magic"]],
    ["noise where a header should be is garbage", [{ kind: "error", reason: "bad-magic", detail: "x" }], ["down garbage"]],
    ["a bad checksum is bad-checksum", [{ kind: "error", reason: "bad-checksum", detail: "x" }], ["down bad-checksum"]],
    ["an oversized frame is garbage", [{ kind: "error", reason: "too-large", detail: "x" }], ["down garbage"]],
  ];
  for (const [name, events, want] of table) {
    it(name, () => {
      const state = initialSession();
      assert.deepEqual(events.map((e) => brief(sessionStep(state, e, smartcash))), want);
    });
  }

  it("carries the peer's fields into the up step", () => {
    const state = initialSession();
    sessionStep(state, version(90035, "/SmartCash Core:2.1.1(x)/"), smartcash);
    const up = sessionStep(state, verack, smartcash);
    assert.deepEqual(up.kind === "up" && up.peer, { protocolVersion: 90035, userAgent: "/SmartCash Core:2.1.1(x)/", services: "0000000000000005", startHeight: 99, relay: true });
  });

  it("keeps the reject code and reason", () => {
    const step = sessionStep(initialSession(), msg({ type: "reject", reject: { message: "version", code: 0x11, reason: "Version must be 90034 or greater" } }), smartcash);
    assert.ok(step.kind === "down");
    assert.deepEqual([step.rejectCode, step.rejectReason], [0x11, "Version must be 90034 or greater"]);
  });
});
