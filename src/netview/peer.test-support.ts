/**
 * A SmartCash peer on loopback for netview's tests: the inbound handshake of the simulated node
 * (sim/smartnode/responder.ts), then `dseg` → two `inv` entries (after `invDelayMs`, as a real node
 * sends them from SendMessages, after the pong), `getdata` → `mnb` / `mnp`, from a Map the test
 * fills. Modes make it misbehave the ways ask-peer.ts must survive.
 */
import { createServer, type AddressInfo, type Socket } from "node:net";
import { findCoin } from "../coins/index.ts";
import { FrameReader } from "../p2p/frame-reader.ts";
import { encodeFrame } from "../p2p/frame.ts";
import { frameMessage } from "../p2p/messages.ts";
import { p2pParamsFor, type P2pParams } from "../p2p/params.ts";
import { initialResponderState, respond, SMARTCASH_SERVICES } from "../sim/smartnode/responder.ts";
import { announceHash, decodeDseg, decodeInv, encodeAnnounce, encodeInv, encodePing, pingHash, type InvEntry, type SmartnodeAnnounce, type SmartnodePing } from "./codec.ts";
import { outpointKey, type Outpoint } from "./outpoint.ts";

export const smartcash = findCoin("smartcash")!;
export const params: P2pParams = p2pParamsFor(smartcash)!;
export const list = smartcash.smartnodeList!;

export interface PeerEntry {
  announce: SmartnodeAnnounce;
  ping?: SmartnodePing;
}

export type PeerMode =
  | "answer"
  /** Accepts and reads, never writes. */
  | "silent"
  /** Handshakes, then never answers anything (no inv, no pong). */
  | "mute"
  /** Answers the first dseg with a header announcing a 10 MB payload. */
  | "huge-length"
  /** Answers getdata with another announce of the same outpoint than the one its inv named. */
  | "tamper-mnb"
  /** Answers getdata for an announce with bytes that do not decode. */
  | "junk-mnb";

export interface TestPeerOptions {
  /** outpointKey → entry; read at each request, so a test may change it between asks. */
  entries?: Map<string, PeerEntry>;
  mode?: PeerMode;
  /** Delay of the inv after a dseg; default 30 ms (after the pong). */
  invDelayMs?: number;
  /** Other nodes' entries announced unasked right after the handshake (relays). */
  relay?: PeerEntry[];
}

export interface TestPeer {
  host: string;
  port: number;
  /** outpointKey of every dseg received, in order. */
  dsegs: string[];
  connections: number;
  close(): Promise<void>;
}

export async function startTestPeer(opts: TestPeerOptions = {}): Promise<TestPeer> {
  const sockets = new Set<Socket>();
  const peer: TestPeer = { host: "127.0.0.1", port: 0, dsegs: [], connections: 0, close: async () => {} };
  const server = createServer((socket) => {
    peer.connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    serve(socket, opts, peer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  peer.port = (server.address() as AddressInfo).port;
  peer.close = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return peer;
}

function serve(socket: Socket, opts: TestPeerOptions, peer: TestPeer): void {
  const mode = opts.mode ?? "answer";
  if (mode === "silent") return void socket.resume();
  const reader = new FrameReader(params);
  let state = initialResponderState();
  const send = (command: string, payload: Uint8Array) => {
    if (!socket.destroyed) socket.write(encodeFrame(params, command, payload));
  };
  socket.on("data", (chunk: Buffer) => {
    for (const event of reader.push(chunk)) {
      if (state.phase === "ready" && event.kind === "message") {
        if (mode === "mute") continue;
        if (event.command === "dseg") {
          const d = decodeDseg(event.payload);
          if (d.kind === "error") continue;
          peer.dsegs.push(outpointKey(d.value));
          if (mode === "huge-length") return void socket.write(hugeHeader());
          const e = opts.entries?.get(outpointKey(d.value));
          if (e !== undefined) setTimeout(() => send("inv", encodeInv(invOf([e]))), opts.invDelayMs ?? 30);
          continue;
        }
        if (event.command === "getdata") {
          answerGetdata(event.payload, [...(opts.entries?.values() ?? []), ...(opts.relay ?? [])], mode, send);
          continue;
        }
      }
      const step = respond(state, event, {
        params, protocolVersion: params.protocolVersion, userAgent: "/SmartCash Core:2.1.1/", height: 2_500_000,
        services: SMARTCASH_SERVICES, nowSeconds: BigInt(Math.floor(Date.now() / 1000)), nonce: 7n,
      });
      state = step.state;
      for (const a of step.actions) {
        if (a.kind === "send") socket.write(frameMessage(params, a.message));
        else socket.end();
      }
      if (step.outcome === "handshake" && opts.relay !== undefined) send("inv", encodeInv(invOf(opts.relay)));
    }
  });
}

function invOf(entries: readonly PeerEntry[]): InvEntry[] {
  return entries.flatMap((e) => [
    { type: list.announceInv, hash: announceHash(e.announce) },
    ...(e.ping === undefined ? [] : [{ type: list.pingInv, hash: pingHash(e.ping) }]),
  ]);
}

function answerGetdata(payload: Uint8Array, known: readonly PeerEntry[], mode: PeerMode, send: (command: string, payload: Uint8Array) => void): void {
  const wanted = decodeInv(payload, "getdata");
  if (wanted.kind === "error") return;
  for (const w of wanted.value) {
    for (const e of known) {
      if (w.type === list.announceInv && announceHash(e.announce) === w.hash) {
        if (mode === "tamper-mnb") send("mnb", encodeAnnounce({ ...e.announce, sigTime: e.announce.sigTime + 1 }));
        else if (mode === "junk-mnb") send("mnb", encodeAnnounce(e.announce).subarray(0, 50));
        else send("mnb", encodeAnnounce(e.announce));
      }
      if (w.type === list.pingInv && e.ping !== undefined && pingHash(e.ping) === w.hash) send("mnp", encodePing(e.ping));
    }
  }
}

/** An `inv` header claiming 10 MB, and a little of it. */
function hugeHeader(): Uint8Array {
  const frame = encodeFrame(params, "inv", new Uint8Array(64));
  new DataView(frame.buffer, frame.byteOffset).setUint32(16, 10 * 1024 * 1024, true);
  return frame;
}

let serial = 0;

/** A collateral outpoint nobody else uses in the test run. */
export function testOutpoint(index = 0): Outpoint {
  serial += 1;
  return { txid: (serial.toString(16).padStart(8, "0") + "ab").repeat(7).slice(0, 64), index };
}

/** A plausible entry: started `startedMinutesAgo`, last pinged `pingAgeMinutes` ago (null: never). */
export function fakeEntry(
  outpoint: Outpoint,
  o: { pingAgeMinutes: number | null; startedMinutesAgo?: number; ip?: string; port?: number; protocolVersion?: number; nowMs?: number },
): PeerEntry {
  const now = Math.floor((o.nowMs ?? Date.now()) / 1000);
  const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);
  const ping: SmartnodePing | undefined =
    o.pingAgeMinutes === null
      ? undefined
      : { outpoint, blockHash: "00".repeat(31) + "2a", sigTime: now - Math.round(o.pingAgeMinutes * 60), signature: bytes(65, 0x1f), sentinel: { current: true, version: 0x010001 } };
  const announce: SmartnodeAnnounce = {
    outpoint,
    scriptSig: new Uint8Array(0),
    sequence: 0xffffffff,
    addr: { ip: o.ip ?? "203.0.113.5", port: o.port ?? 9678 },
    collateralPubKey: Uint8Array.of(0x02, ...bytes(32, 0x11)),
    smartnodePubKey: Uint8Array.of(0x03, ...bytes(32, 0x22)),
    signature: bytes(65, 0x20),
    sigTime: now - Math.round((o.startedMinutesAgo ?? 3 * 24 * 60) * 60),
    protocolVersion: o.protocolVersion ?? 90035,
    lastPing: ping ?? null,
  };
  return ping === undefined ? { announce } : { announce, ping };
}
