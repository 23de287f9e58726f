/**
 * Deterministic fuzzing of the codec: random bytes, mutated valid frames (bit flips, truncation,
 * huge lengths, wrong magic, bad checksums), payloads mutated under a valid checksum, all fed in
 * random chunk sizes through FrameReader, every decoder and both pure handshake cores. Nothing
 * may throw, the reader may never hold more than cap + header, and the heap must stay flat.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { findCoin } from "../coins/index.ts";
import { initialResponderState, respond } from "../sim/smartnode/responder.ts";
import { encodeFrame, HEADER_SIZE } from "./frame.ts";
import { FrameReader, type FrameEvent } from "./frame-reader.ts";
import { initialSession, sessionStep } from "./handshake-session.ts";
import { decodeMessage, decodeReject, frameMessage, type P2pMessage } from "./messages.ts";
import { BITCOIN_MAINNET, p2pParamsFor, type P2pParams } from "./params.ts";
import { decodeVersion } from "./version.ts";

const smartcash = p2pParamsFor(findCoin("smartcash")!) as P2pParams;
const dash: P2pParams = { ...BITCOIN_MAINNET, magic: Uint8Array.of(0xbf, 0x0c, 0x6b, 0xbd), versionExtra: "dash-mnauth" };
const ALL_PARAMS = [smartcash, BITCOIN_MAINNET, dash];
const COMMANDS = ["version", "verack", "reject", "ping", "pong", "sendheaders", "inv", "getsporks"];

/** mulberry32: the same cases on every run. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

type Rand = ReturnType<typeof prng>;

function randomBytes(rand: Rand, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rand(256);
  return out;
}

function validMessages(rand: Rand): P2pMessage[] {
  const ua = "/SmartCash Core:2.1.1/".slice(0, rand(23));
  return [
    {
      type: "version",
      version: {
        version: 90035,
        services: 5n,
        timestamp: 1_700_000_000n,
        addrRecv: { time: 1, services: 0n, ip: "127.0.0.1", port: 9678 },
        addrFrom: { time: 1, services: 5n, ip: "::", port: 0 },
        nonce: 42n,
        userAgent: ua,
        startHeight: rand(3_000_000),
        relay: true,
        mnAuthChallenge: new Uint8Array(32),
        masternodeConnection: false,
      },
    },
    { type: "verack" },
    { type: "sendheaders" },
    { type: "ping", nonce: BigInt(rand(1e9)) },
    { type: "pong", nonce: 7n },
    { type: "reject", reject: { message: "version", code: 0x11, reason: "Version must be 90034 or greater" } },
    { type: "other", command: "inv", payload: randomBytes(rand, rand(40)) },
  ];
}

function mutate(rand: Rand, frame: Uint8Array): Uint8Array {
  const f = Uint8Array.from(frame);
  const view = new DataView(f.buffer);
  switch (rand(7)) {
    case 0: // bit flips anywhere
      for (let i = 0, n = 1 + rand(8); i < n; i++) f[rand(f.length)]! ^= 1 << rand(8);
      return f;
    case 1: // truncation
      return f.subarray(0, rand(f.length));
    case 2: // huge or random length
      view.setUint32(16, [0xffffffff, 0x02000001, 0x00400001, rand(0xffffffff), rand(300)][rand(5)]!, true);
      return f;
    case 3: // wrong magic
      f.set([smartcash.magic, BITCOIN_MAINNET.magic, dash.magic, randomBytes(rand, 4)][rand(4)]!, 0);
      return f;
    case 4: // bad checksum
      f[20 + rand(4)]! ^= 1 + rand(255);
      return f;
    case 5: // garbage command field
      f.set(randomBytes(rand, 1 + rand(12)), 4);
      return f;
    default: // trailing junk
      return Uint8Array.from([...f, ...randomBytes(rand, rand(30))]);
  }
}

/** Mutates the payload but frames it again, so the checksum passes and the decoders see it. */
function remutatePayload(rand: Rand, params: P2pParams, m: P2pMessage): Uint8Array {
  const frame = frameMessage(params, m);
  const payload = Uint8Array.from(frame.subarray(HEADER_SIZE));
  const kind = rand(4);
  let p: Uint8Array = payload;
  if (kind === 0 && p.length > 0) for (let i = 0, n = 1 + rand(6); i < n; i++) p[rand(p.length)]! ^= 1 << rand(8);
  else if (kind === 1) p = p.subarray(0, rand(p.length + 1));
  else if (kind === 2) p = Uint8Array.from([...p, ...randomBytes(rand, rand(40))]);
  else p = randomBytes(rand, rand(160));
  return encodeFrame(params, m.type === "other" ? m.command : m.type, p);
}

const stats = { cases: 0, messages: 0, errors: 0, maxBuffered: 0 };

/** Feeds `bytes` in random chunks through a reader and everything downstream of it. */
function run(rand: Rand, params: P2pParams, bytes: Uint8Array, cap: number): void {
  stats.cases++;
  const reader = new FrameReader(params, { maxPayload: cap });
  const session = initialSession();
  let responder = initialResponderState();
  const config = { params, protocolVersion: 90035, userAgent: "/x/", height: 1, services: 5n, nowSeconds: 1n, nonce: 1n };
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + rand(Math.min(bytes.length - at, [1, 7, 24, 64, 4096][rand(5)]!));
    const events: FrameEvent[] = reader.push(bytes.subarray(at, at + n));
    at += n;
    assert.ok(reader.buffered <= cap + HEADER_SIZE, `buffered ${reader.buffered} > cap ${cap} + header`);
    stats.maxBuffered = Math.max(stats.maxBuffered, reader.buffered);
    for (const e of events) {
      if (e.kind === "error") stats.errors++;
      else {
        stats.messages++;
        for (const layout of ALL_PARAMS) assert.ok(["ok", "error"].includes(decodeMessage(e.command, e.payload, layout).kind));
        decodeVersion(e.payload, params);
        decodeReject(e.payload);
      }
      sessionStep(session, e, params);
      responder = respond(responder, e, config).state;
    }
  }
}

describe("codec fuzz (seeded, deterministic)", () => {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;

  it("survives 30,000 random byte strings, half of them behind a valid magic", () => {
    const rand = prng(1);
    for (let i = 0; i < 30_000; i++) {
      const params = ALL_PARAMS[rand(3)]!;
      const body = randomBytes(rand, rand(120));
      run(rand, params, i % 2 === 0 ? Uint8Array.from([...params.magic, ...body]) : body, 4 * 1024 * 1024);
    }
  });

  it("survives 40,000 runs of mutated valid frames split at random chunk boundaries", () => {
    const rand = prng(2);
    for (let i = 0; i < 40_000; i++) {
      const params = ALL_PARAMS[rand(3)]!;
      const msgs = validMessages(rand);
      const frames = Array.from({ length: 1 + rand(4) }, () => {
        const f = frameMessage(params, msgs[rand(msgs.length)]!);
        return rand(3) === 0 ? f : mutate(rand, f);
      });
      run(rand, params, Uint8Array.from(frames.flatMap((f) => Array.from(f))), rand(2) === 0 ? 256 : 4 * 1024 * 1024);
    }
  });

  it("survives 30,000 frames whose payload is mutated under a valid checksum, through every decoder", () => {
    const rand = prng(3);
    for (let i = 0; i < 30_000; i++) {
      const params = ALL_PARAMS[rand(3)]!;
      const msgs = validMessages(rand);
      run(rand, params, remutatePayload(rand, params, msgs[rand(msgs.length)]!), 4 * 1024 * 1024);
    }
  });

  it("never holds more than it received for frames announcing up to the cap", () => {
    const rand = prng(4);
    for (let i = 0; i < 2_000; i++) {
      const header = encodeFrame(smartcash, COMMANDS[rand(COMMANDS.length)]!, new Uint8Array(0));
      new DataView(header.buffer).setUint32(16, 4 * 1024 * 1024 - rand(100), true);
      const reader = new FrameReader(smartcash);
      reader.push(header);
      const sent = rand(5000);
      reader.push(new Uint8Array(sent));
      assert.equal(reader.buffered, sent);
    }
  });

  it("ran at least 100,000 cases with a flat heap", () => {
    assert.ok(stats.cases >= 100_000, `only ${stats.cases} cases`);
    assert.ok(stats.messages > 10_000 && stats.errors > 10_000, JSON.stringify(stats));
    gc();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(growth < 32 * 1024 * 1024, `heap grew by ${growth} bytes`);
  });
});
