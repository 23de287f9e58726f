import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { findCoin } from "../coins/index.ts";
import { encodeFrame, readCommand } from "./frame.ts";
import { FrameReader, type FrameEvent } from "./frame-reader.ts";
import { frameMessage } from "./messages.ts";
import { BITCOIN_MAINNET, p2pParamsFor, type P2pParams } from "./params.ts";

const smartcash = p2pParamsFor(findCoin("smartcash")!) as P2pParams;
const verack = frameMessage(smartcash, { type: "verack" });
const ping = frameMessage(smartcash, { type: "ping", nonce: 42n });

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

function summary(events: FrameEvent[]): string[] {
  return events.map((e) => (e.kind === "message" ? `message ${e.command} ${e.payload.length}` : `error ${e.reason}`));
}

/** A header with an arbitrary 12-byte command field and length, correct magic and checksum of nothing. */
function rawHeader(command: number[], length: number): Uint8Array {
  const h = encodeFrame(smartcash, "x", new Uint8Array(0));
  h.set([...command, ...new Array(12 - command.length).fill(0)], 4);
  new DataView(h.buffer).setUint32(16, length, true);
  return h;
}

describe("command field validity (CMessageHeader::IsValid)", () => {
  const table: [string, number[], string][] = [
    ["a NUL-padded command", [0x76, 0x65, 0x72, 0x61, 0x63, 0x6b], "ok verack"],
    ["all twelve bytes used", new Array(12).fill(0x61), "ok aaaaaaaaaaaa"],
    ["a byte after the first NUL", [0x61, 0, 0x62], "invalid"],
    ["a control character", [0x61, 0x0a], "invalid"],
    ["a byte above 0x7e", [0x61, 0x7f], "invalid"],
    ["a space (0x20 is allowed)", [0x61, 0x20, 0x62], "ok a b"],
  ];
  for (const [name, bytes, want] of table) {
    it(`reads ${name} as ${want}`, () => {
      const field = Uint8Array.from([...bytes, ...new Array(12 - bytes.length).fill(0)]);
      const got = readCommand(field);
      assert.equal(got.kind === "ok" ? `ok ${got.command}` : "invalid", want);
    });
  }
});

describe("FrameReader", () => {
  it("reads several frames from one chunk", () => {
    const r = new FrameReader(smartcash);
    assert.deepEqual(summary(r.push(concat(verack, ping, verack))), ["message verack 0", "message ping 8", "message verack 0"]);
    assert.equal(r.buffered, 0);
  });

  it("reads the same frames fed one byte at a time", () => {
    const r = new FrameReader(smartcash);
    const all = concat(verack, ping);
    const events = Array.from(all).flatMap((b) => r.push(Uint8Array.of(b)));
    assert.deepEqual(summary(events), ["message verack 0", "message ping 8"]);
  });

  it("stops at a wrong magic and names the command when the rest of the header is a valid frame", () => {
    const r = new FrameReader(smartcash);
    const events = r.push(concat(frameMessage(BITCOIN_MAINNET, { type: "verack" }), verack));
    assert.equal(events.length, 1);
    assert.deepEqual({ ...events[0], detail: undefined }, { kind: "error", reason: "bad-magic", command: "verack", detail: undefined });
    assert.equal(r.state, "stopped");
    assert.deepEqual(r.push(verack), []);
  });

  it("reports text that is no frame at all as a wrong magic without a command", () => {
    const events = new FrameReader(smartcash).push(new TextEncoder().encode("HTTP/1.1 400 Bad Request\r\n\r\n"));
    assert.equal(events[0]?.kind === "error" && events[0].reason, "bad-magic");
    assert.equal(events[0]?.kind === "error" && events[0].command, undefined);
  });

  it("stops at a length over the cap without buffering any of the payload", () => {
    const r = new FrameReader(smartcash, { maxPayload: 1000 });
    const events = r.push(concat(rawHeader([0x62, 0x6c, 0x6f, 0x63, 0x6b], 0xffffffff), new Uint8Array(500)));
    assert.deepEqual(summary(events), ["error too-large"]);
    assert.equal(r.buffered, 0);
  });

  it("skips a message with a bad checksum, reports it and reads the next one", () => {
    const bad = Uint8Array.from(ping);
    bad[23] = (bad[23] ?? 0) ^ 1;
    assert.deepEqual(summary(new FrameReader(smartcash).push(concat(bad, verack))), ["error bad-checksum", "message verack 0"]);
  });

  it("says when a bad checksum is the other coin family's checksum", () => {
    const bitcoinStyle = frameMessage({ ...smartcash, checksum: "sha256d" }, { type: "ping", nonce: 1n });
    const [e] = new FrameReader(smartcash).push(bitcoinStyle);
    assert.ok(e?.kind === "error" && /sha256d checksum/.test(e.detail), JSON.stringify(e));
  });

  it("skips an invalid command by its length and reads the next frame", () => {
    const bad = concat(rawHeader([0x61, 0, 0x62], 3), Uint8Array.of(1, 2, 3));
    assert.deepEqual(summary(new FrameReader(smartcash).push(concat(bad, verack))), ["error bad-header", "message verack 0"]);
  });

  it("holds only the bytes that have arrived for a large announced payload", () => {
    const r = new FrameReader(smartcash);
    const frame = encodeFrame(smartcash, "block", new Uint8Array(100_000));
    r.push(frame.subarray(0, 24 + 10));
    assert.equal(r.buffered, 10);
    r.push(frame.subarray(34, 50_000));
    assert.equal(r.buffered, 50_000 - 24);
    assert.deepEqual(summary(r.push(frame.subarray(50_000))), ["message block 100000"]);
    assert.equal(r.buffered, 0);
  });

  it("reads Bitcoin frames with Bitcoin parameters", () => {
    const r = new FrameReader(BITCOIN_MAINNET);
    assert.deepEqual(summary(r.push(frameMessage(BITCOIN_MAINNET, { type: "pong", nonce: 7n }))), ["message pong 8"]);
  });
});
