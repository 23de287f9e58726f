/**
 * Asks one peer, over one TCP connection, what it holds for up to MAX_OUTPOINTS_PER_CONNECTION
 * SmartNodes (ask-session.ts says how). This file only moves bytes and keeps time: a deadline
 * for the whole connection, the session's wake-ups, the caller's AbortSignal. Network outcomes are
 * values; it throws only for outpoints the caller got wrong (the null one, too many).
 */
import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import type { SmartnodeListParams } from "../coins/index.ts";
import { InternalError } from "../core/errors.ts";
import { FrameReader } from "../p2p/frame-reader.ts";
import { frameMessage, type P2pMessage } from "../p2p/messages.ts";
import { openingBytes, randomNonce } from "../p2p/outbound-opening.ts";
import type { P2pParams } from "../p2p/params.ts";
import { socketDetail, socketFailure } from "../p2p/socket-errors.ts";
import { answersOf } from "./ask-answers.ts";
import { askFrame, askWake, startAsk, type AskConfig, type AskStep } from "./ask-session.ts";
import type { PeerAnswer } from "./model.ts";
import { isNullOutpoint, outpointKey, type Outpoint } from "./outpoint.ts";
import type { PeerAddress } from "./ports.ts";

/** Outpoints asked on one connection: 500 dseg frames are 30 KB, their answers some 250 KB. */
export const MAX_OUTPOINTS_PER_CONNECTION = 500;
/**
 * Largest payload read from a peer. Answers are small (an mnb is ~330 bytes, an inv of 1,000
 * entries 36 KB); nothing we ask for comes near this, and it bounds each connection's buffer.
 */
export const ASK_MAX_PAYLOAD = 1024 * 1024;

export type PeerResult =
  | { reachable: false; detail: string }
  /** One answer per distinct outpoint asked, keyed by outpointKey. */
  | { reachable: true; answers: Map<string, PeerAnswer> };

export interface AskOptions {
  params: P2pParams;
  list: Pick<SmartnodeListParams, "announceInv" | "pingInv">;
  /** Deadline of the whole connection: connect, handshake, every round. */
  timeoutMs: number;
  signal?: AbortSignal;
  userAgent?: string;
  /** Where the dseg frames come from (AskConfig.dsegFrame): a survey's cache. */
  dsegFrame?: AskConfig["dsegFrame"];
}

export function askPeer(peer: PeerAddress, outpoints: readonly Outpoint[], opts: AskOptions): Promise<PeerResult> {
  const distinct = [...new Map(outpoints.map((o) => [outpointKey(o), o] as const)).values()];
  if (distinct.length > MAX_OUTPOINTS_PER_CONNECTION) throw new InternalError(`askPeer takes at most ${MAX_OUTPOINTS_PER_CONNECTION} outpoints per connection, got ${distinct.length}`);
  if (distinct.some(isNullOutpoint)) throw new InternalError("askPeer refuses the null outpoint: a dseg for it asks for the whole SmartNode list, which peers punish");
  if (distinct.length === 0) return Promise.resolve({ reachable: true, answers: new Map() });
  // net.connect throws for these; a peer list from the config is input, so its outcome is a value.
  if (!Number.isInteger(peer.port) || peer.port < 1 || peer.port > 65535) return Promise.resolve({ reachable: false, detail: `port ${peer.port} is not 1–65535` });
  const host = peer.host.startsWith("[") && peer.host.endsWith("]") ? peer.host.slice(1, -1) : peer.host;
  const cfg: AskConfig = { p2p: opts.params, list: opts.list, nonce: randomNonce, ...(opts.dsegFrame ? { dsegFrame: opts.dsegFrame } : {}) };

  return new Promise<PeerResult>((resolve) => {
    const state = startAsk(distinct);
    const reader = new FrameReader(opts.params, { maxPayload: ASK_MAX_PAYLOAD });
    let wake: NodeJS.Timeout | undefined;
    let over = false;
    const socket: Socket = connect({ host, port: peer.port });

    const end = (result: PeerResult) => {
      if (over) return;
      over = true;
      clearTimeout(deadline);
      clearTimeout(wake);
      opts.signal?.removeEventListener("abort", onAbort);
      socket.removeAllListeners("data");
      socket.destroy();
      resolve(result);
    };
    /** The connection ends before the questions are done: what is known so far, and why. */
    const cut = (why: string) => {
      if (state.phase === "handshake") end({ reachable: false, detail: why });
      else end({ reachable: true, answers: answersOf(state, why) });
    };
    const apply = (step: AskStep) => {
      if ((step.send.length > 0 || step.frames !== undefined) && !socket.destroyed) {
        socket.write(Buffer.concat([...(step.frames ?? []), ...step.send.map((m: P2pMessage) => frameMessage(opts.params, m))]));
      }
      if (step.end?.kind === "down") return end({ reachable: false, detail: `handshake: ${step.end.reason}: ${step.end.detail}` });
      if (step.end?.kind === "finished") return end({ reachable: true, answers: answersOf(state) });
      if (step.wakeAt !== undefined) {
        clearTimeout(wake);
        wake = setTimeout(() => apply(askWake(state, performance.now(), cfg)), Math.max(0, step.wakeAt - performance.now()));
      }
    };
    const deadline = setTimeout(() => cut(`no complete answer within ${opts.timeoutMs} ms`), opts.timeoutMs);
    const onAbort = () => cut("aborted");

    let connected = false;
    socket.on("error", (err) => cut(`${socketFailure(err, connected ? "reset" : "unreachable")}: ${socketDetail(err)}`));
    socket.on("close", () => cut(state.phase === "handshake" ? "the peer closed the connection during the handshake" : "the peer closed the connection before answering"));
    socket.on("connect", () => {
      connected = true;
      socket.write(openingBytes(opts.params, { host, port: peer.port, remoteAddress: socket.remoteAddress, nowSeconds: Date.now() / 1000, ...(opts.userAgent === undefined ? {} : { userAgent: opts.userAgent }) }));
    });
    socket.on("data", (chunk: Buffer) => {
      for (const event of reader.push(chunk)) {
        apply(askFrame(state, event, performance.now(), cfg));
        if (over) return;
      }
    });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
