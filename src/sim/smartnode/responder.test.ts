import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findCoin } from "../../coins/index.ts";
import type { FrameEvent } from "../../p2p/frame-reader.ts";
import { encodePayload, type P2pMessage } from "../../p2p/messages.ts";
import { p2pParamsFor, type P2pParams } from "../../p2p/params.ts";
import { initialResponderState, respond, type ResponderConfig, type ResponderState } from "./responder.ts";

const smartcash = p2pParamsFor(findCoin("smartcash")!) as P2pParams;
const config: ResponderConfig = { params: smartcash, protocolVersion: 90035, userAgent: "/SmartCash Core:2.1.1/", height: 123, services: 5n, nowSeconds: 1n, nonce: 9n };

const msg = (m: P2pMessage): FrameEvent => ({ kind: "message", command: m.type === "other" ? m.command : m.type, payload: encodePayload(m, smartcash) });
const version = (v: number) =>
  msg({ type: "version", version: { version: v, services: 0n, timestamp: 0n, addrRecv: { services: 0n, ip: "127.0.0.1", port: 9678 }, addrFrom: { services: 0n, ip: "::", port: 0 }, nonce: 3n, userAgent: "/nodeward:0.1.0/", startHeight: 0, relay: false } });
const verack = msg({ type: "verack" });
const ping = msg({ type: "ping", nonce: 77n });

/** Runs the events and describes what the node did after each. */
function play(events: FrameEvent[]): string[] {
  let state: ResponderState = initialResponderState();
  return events.map((e) => {
    const step = respond(state, e, config);
    state = step.state;
    const did = step.actions.map((a) => (a.kind === "close" ? "close" : a.message.type === "reject" ? `reject ${a.message.reject.code}` : a.message.type));
    return [state.phase, ...did, ...(step.outcome ? [`(${step.outcome})`] : [])].join(" ");
  });
}

describe("the SmartCash inbound responder", () => {
  const table: [string, FrameEvent[], string[]][] = [
    ["answers a good version with its version then verack, and verack with sendheaders", [version(90035), verack], ["await-verack version verack", "ready sendheaders (handshake)"]],
    ["refuses protocol 90033 with reject 0x11 and disconnects", [version(90033)], ["closed reject 17 close (reject)"]],
    ["ignores everything before version (misbehaviour only)", [ping, verack, version(90034)], ["await-version", "await-version", "await-verack version verack"]],
    ["ignores a ping before verack and answers it after", [version(90035), ping, verack, ping], ["await-verack version verack", "await-verack", "ready sendheaders (handshake)", "ready pong"]],
    ["answers a second version with reject 0x12", [version(90035), version(90035)], ["await-verack version verack", "await-verack reject 18"]],
    ["answers a version too short to read with reject 0x01 and keeps waiting", [{ kind: "message", command: "version", payload: new Uint8Array(10) }], ["await-version reject 1"]],
    ["disconnects on a wrong magic", [{ kind: "error", reason: "bad-magic", detail: "x" }], ["closed close"]],
    ["skips a bad checksum and keeps waiting", [{ kind: "error", reason: "bad-checksum", detail: "x" }, version(90035)], ["await-version", "await-verack version verack"]],
    ["does nothing once closed", [version(90033), version(90035)], ["closed reject 17 close (reject)", "closed"]],
  ];
  for (const [name, events, want] of table) {
    it(name, () => assert.deepEqual(play(events), want));
  }

  it("sends the reason text SmartCash sends", () => {
    const step = respond(initialResponderState(), version(1), config);
    const first = step.actions[0];
    assert.ok(first?.kind === "send" && first.message.type === "reject");
    assert.deepEqual(first.message.reject, { message: "version", code: 0x11, reason: "Version must be 90034 or greater" });
  });

  it("announces its height, user agent, protocol and services in its version", () => {
    const first = respond(initialResponderState(), version(90035), config).actions[0];
    assert.ok(first?.kind === "send" && first.message.type === "version");
    const v = first.message.version;
    assert.deepEqual([v.version, v.userAgent, v.startHeight, v.services, v.relay], [90035, "/SmartCash Core:2.1.1/", 123, 5n, true]);
  });
});
