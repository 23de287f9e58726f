/**
 * One connection's questions about SmartNodes as a pure reducer; ask-peer.ts only moves bytes and
 * keeps time (it passes a monotonic `now` in ms and calls `askWake` at `wakeAt`).
 *
 * Handshake (p2p/handshake-session.ts), then `dseg` per outpoint and a `ping`. The pong means the
 * peer has read every dseg, but its invs leave from SendMessages, which runs after the message is
 * processed and is skipped whenever cs_main is busy (net_processing.cpp SendMessages: TRY_LOCK):
 * so a round settles only after QUIET_MS without a new inv, capped at SETTLE_MAX_MS after the pong
 * (other SmartNodes' pings are relayed to us all the time; they must not keep the round open).
 * Then `getdata` for every inv entry of the list's two types plus a ping, and the `mnb`/`mnp`
 * answers are checked: each message's own hash must be one we asked for.
 */
import type { SmartnodeListParams } from "../coins/index.ts";
import type { FrameEvent } from "../p2p/frame-reader.ts";
import { initialSession, sessionStep, type DownReason, type SessionState } from "../p2p/handshake-session.ts";
import { decodeMessage, frameMessage, type P2pMessage } from "../p2p/messages.ts";
import type { P2pParams } from "../p2p/params.ts";
import { encodeDseg, encodeInv } from "./codec.ts";
import { takeAnnounce, takeInv, takePing, type Collected } from "./ask-collect.ts";
import { outpointKey, type Outpoint } from "./outpoint.ts";

/** Quiet time after a pong before a round is over: SendMessages runs every ~100 ms per peer. */
export const QUIET_MS = 400;
/** A round is over this long after its pong even if invs keep coming (relays of other nodes). */
export const SETTLE_MAX_MS = 2_000;
/** getdata rounds: late invs found while fetching get one more round, not an endless chase. */
export const MAX_ROUNDS = 3;

export interface AskConfig {
  p2p: P2pParams;
  list: Pick<SmartnodeListParams, "announceInv" | "pingInv">;
  /** Our pings' nonces (random in production). */
  nonce: () => bigint;
  /**
   * The whole dseg frame for an outpoint (key: outpointKey). A survey asks about the same nodes
   * every round and keeps their frames (each is an encode and a checksum); dsegFrame's by default.
   */
  dsegFrame?: (key: string, outpoint: Outpoint) => Uint8Array;
}

/** The dseg message for one outpoint, framed: header, checksum and payload. */
export function dsegFrame(p2p: P2pParams, outpoint: Outpoint): Uint8Array {
  return frameMessage(p2p, other("dseg", encodeDseg(outpoint)));
}

export interface AskState extends Collected {
  phase: "handshake" | "asking" | "done";
  handshake: SessionState;
  /** Nonce of the ping that closes the current round; undefined once its pong came. */
  awaited: bigint | undefined;
  /** When the current round settles; undefined while its pong is awaited. */
  settleAt: number | undefined;
  settleLimit: number;
  /** getdata rounds sent; `settled` once the first round (every dseg answered) is over. */
  rounds: number;
  settled: boolean;
}

export interface AskStep {
  send: P2pMessage[];
  /** Frames already encoded (the dsegs), written before `send`. */
  frames?: Uint8Array[];
  /** Call askWake at this time (monotonic ms); replaces any earlier wake. */
  wakeAt?: number;
  /** The connection is over: finished, or the handshake failed. */
  end?: { kind: "finished" } | { kind: "down"; reason: DownReason; detail: string };
}

export function startAsk(outpoints: readonly Outpoint[]): AskState {
  const asked = new Map(outpoints.map((o) => [outpointKey(o), o] as const));
  return {
    phase: "handshake",
    handshake: initialSession(),
    asked,
    awaited: undefined,
    settleAt: undefined,
    settleLimit: Infinity,
    rounds: 0,
    settled: false,
    entries: new Map(),
    // Two entries per asked outpoint, and room for the relays of other nodes' pings.
    maxEntries: 2 * asked.size + 512,
    requested: new Set(),
    received: new Set(),
    announces: new Map(),
    pings: new Map(),
    wrong: new Map(),
    taint: undefined,
  };
}

const other = (command: string, payload: Uint8Array): P2pMessage => ({ type: "other", command, payload });

export function askFrame(s: AskState, event: FrameEvent, now: number, cfg: AskConfig): AskStep {
  if (s.phase === "done") return { send: [] };
  if (s.phase === "handshake") return handshakeFrame(s, event, cfg);
  if (event.kind === "error") {
    s.taint ??= `bad frame: ${event.detail}`;
    // A wrong magic or an over-cap length stops the reader: nothing more can be read.
    if (event.reason === "bad-magic" || event.reason === "too-large") return finish(s);
    return { send: [] };
  }
  const decoded = decodeMessage(event.command, event.payload, cfg.p2p);
  if (decoded.kind === "error") {
    s.taint ??= `malformed ${event.command}: ${decoded.error.field} (${decoded.error.detail})`;
    return { send: [] };
  }
  const m = decoded.value;
  if (m.type === "ping") return { send: [{ type: "pong", nonce: m.nonce }] };
  if (m.type === "pong" && m.nonce === s.awaited) {
    s.awaited = undefined;
    s.settleAt = now + QUIET_MS;
    s.settleLimit = now + SETTLE_MAX_MS;
    return maybeDone(s) ?? { send: [], wakeAt: s.settleAt };
  }
  if (m.type !== "other") return { send: [] };
  const fresh =
    m.command === "inv" ? takeInv(s, m.payload, cfg.list) : m.command === "mnb" ? takeAnnounce(s, m.payload) : m.command === "mnp" ? takePing(s, m.payload) : false;
  if (!fresh || s.awaited !== undefined) return { send: [] };
  s.settleAt = Math.min(now + QUIET_MS, s.settleLimit);
  return maybeDone(s) ?? { send: [], wakeAt: s.settleAt };
}

function handshakeFrame(s: AskState, event: FrameEvent, cfg: AskConfig): AskStep {
  const step = sessionStep(s.handshake, event, cfg.p2p);
  if (step.kind === "down") {
    s.phase = "done";
    return { send: [], end: { kind: "down", reason: step.reason, detail: step.detail } };
  }
  if (step.kind === "wait") return { send: step.send };
  // Up. step.send holds the verack for the peer's version: ours went out with our version.
  s.phase = "asking";
  s.awaited = cfg.nonce();
  const frames: Uint8Array[] = [];
  for (const [key, o] of s.asked) frames.push(cfg.dsegFrame?.(key, o) ?? dsegFrame(cfg.p2p, o));
  return { send: [{ type: "ping", nonce: s.awaited }], frames };
}

/** The settle time came (or a stale timer fired): next getdata round, or the end. */
export function askWake(s: AskState, now: number, cfg: AskConfig): AskStep {
  if (s.phase !== "asking" || s.awaited !== undefined || s.settleAt === undefined) return { send: [] };
  if (now < s.settleAt) return { send: [], wakeAt: s.settleAt };
  s.settled = true;
  const pending = [...s.entries].filter(([hash]) => !s.requested.has(hash));
  if (pending.length === 0 || s.rounds >= MAX_ROUNDS) return finish(s);
  for (const [hash] of pending) s.requested.add(hash);
  s.rounds += 1;
  s.awaited = cfg.nonce();
  s.settleAt = undefined;
  const getdata = other("getdata", encodeInv(pending.map(([hash, type]) => ({ type, hash }))));
  return { send: [getdata, { type: "ping", nonce: s.awaited }] };
}

/** After a getdata round's pong, with nothing left unasked or unanswered, no quiet period is needed. */
function maybeDone(s: AskState): AskStep | undefined {
  if (s.rounds === 0 || s.awaited !== undefined) return undefined;
  for (const hash of s.entries.keys()) if (!s.received.has(hash)) return undefined;
  return finish(s);
}

function finish(s: AskState): AskStep {
  s.phase = "done";
  return { send: [], end: { kind: "finished" } };
}
