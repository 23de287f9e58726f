/**
 * The inbound side of a SmartCash node's handshake as a pure reducer (NOTES §1.7,
 * net_processing.cpp ProcessMessage): wait for version; refuse a protocol below the minimum with
 * reject("version", 0x11, "Version must be N or greater") and disconnect; otherwise answer with
 * our version then verack; on the peer's verack send sendheaders. Messages out of order are
 * ignored (the real node only adds misbehaviour points), a wrong magic or an oversized length
 * disconnects, a bad checksum or header is skipped. Once ready it answers `ping`, and `dseg` /
 * `getdata` about the SmartNode list from the lookup it is given (list-answers.ts).
 */
import type { FrameEvent } from "../../p2p/frame-reader.ts";
import { decodeMessage, REJECT_DUPLICATE, REJECT_MALFORMED, REJECT_OBSOLETE, type P2pMessage } from "../../p2p/messages.ts";
import { addressSize, unspecifiedAddress } from "../../p2p/netaddr.ts";
import type { P2pParams } from "../../p2p/params.ts";
import { answerDseg, answerGetdata, type ListAnswerConfig, type ListOutcome } from "./list-answers.ts";

/** version.h SENDHEADERS_VERSION. */
const SENDHEADERS_VERSION = 90013;
/** NODE_NETWORK | NODE_BLOOM: SmartCash's default local services. */
export const SMARTCASH_SERVICES = 5n;

export interface ResponderConfig {
  params: P2pParams;
  protocolVersion: number;
  userAgent: string;
  height: number;
  services: bigint;
  /** Seconds since the epoch, for our version's timestamp. */
  nowSeconds: bigint;
  nonce: bigint;
  /** Whether the node is synced and what it knows of the SmartNode list; absent: a node without a list, synced. */
  smartnodes?: ListAnswerConfig;
}

export type ResponderPhase = "await-version" | "await-verack" | "ready" | "closed";

export interface ResponderState {
  phase: ResponderPhase;
  peerVersion?: number;
}

export type ResponderAction = { kind: "send"; message: P2pMessage } | { kind: "close"; why: string };

export interface ResponderStep {
  state: ResponderState;
  actions: ResponderAction[];
  /** Counted by the server's stats. */
  outcome?: "handshake" | "reject" | ListOutcome;
}

export function initialResponderState(): ResponderState {
  return { phase: "await-version" };
}

const nothing = (state: ResponderState): ResponderStep => ({ state, actions: [] });
const reject = (message: string, code: number, reason: string): ResponderAction => ({ kind: "send", message: { type: "reject", reject: { message, code, reason } } });

export function respond(state: ResponderState, event: FrameEvent, config: ResponderConfig): ResponderStep {
  if (state.phase === "closed") return nothing(state);
  if (event.kind === "error") {
    if (event.reason === "bad-magic" || event.reason === "too-large") {
      return { state: { ...state, phase: "closed" }, actions: [{ kind: "close", why: event.detail }] };
    }
    return nothing(state);
  }
  if (event.command === "version") return onVersion(state, event.payload, config);
  if (state.phase === "await-version") return nothing(state);
  const decoded = decodeMessage(event.command, event.payload, config.params);
  if (decoded.kind === "error") return { state, actions: [reject(event.command, REJECT_MALFORMED, "error parsing message")] };
  const m = decoded.value;
  if (m.type === "verack" && state.phase === "await-verack") {
    const actions: ResponderAction[] = (state.peerVersion ?? 0) >= SENDHEADERS_VERSION ? [{ kind: "send", message: { type: "sendheaders" } }] : [];
    return { state: { ...state, phase: "ready" }, actions, outcome: "handshake" };
  }
  if (state.phase !== "ready") return nothing(state);
  if (m.type === "ping") return { state, actions: [{ kind: "send", message: { type: "pong", nonce: m.nonce } }] };
  if (m.type === "other" && (m.command === "dseg" || m.command === "getdata")) {
    const list = config.smartnodes ?? { synced: true, lookup: undefined };
    const answer = m.command === "dseg" ? answerDseg(m.payload, state.peerVersion, list) : answerGetdata(m.payload, list);
    const actions = answer.send.map((message): ResponderAction => ({ kind: "send", message }));
    return { state, actions, outcome: answer.outcome };
  }
  return nothing(state);
}

function onVersion(state: ResponderState, payload: Uint8Array, config: ResponderConfig): ResponderStep {
  if (state.phase !== "await-version") return { state, actions: [reject("version", REJECT_DUPLICATE, "Duplicate version message")] };
  const { params } = config;
  // nVersion, nServices, nTime and addrMe are read before the protocol check; the rest after it.
  if (payload.length < 20 + addressSize(params.addrWithTime)) return { state, actions: [reject("version", REJECT_MALFORMED, "error parsing message")] };
  const peerVersion = new DataView(payload.buffer, payload.byteOffset, 4).getInt32(0, true);
  if (peerVersion < params.minProtocolVersion) {
    const actions: ResponderAction[] = [
      reject("version", REJECT_OBSOLETE, `Version must be ${params.minProtocolVersion} or greater`),
      { kind: "close", why: `peer protocol ${peerVersion} is obsolete` },
    ];
    return { state: { phase: "closed", peerVersion }, actions, outcome: "reject" };
  }
  const decoded = decodeMessage("version", payload, params);
  if (decoded.kind === "error") return { state, actions: [reject("version", REJECT_MALFORMED, "error parsing message")] };
  const ours: P2pMessage = {
    type: "version",
    version: {
      version: config.protocolVersion,
      services: config.services,
      timestamp: config.nowSeconds,
      addrRecv: unspecifiedAddress(),
      addrFrom: { ...unspecifiedAddress(), services: config.services },
      nonce: config.nonce,
      userAgent: config.userAgent,
      startHeight: config.height,
      relay: true,
    },
  };
  const actions: ResponderAction[] = [
    { kind: "send", message: ours },
    { kind: "send", message: { type: "verack" } },
  ];
  return { state: { phase: "await-verack", peerVersion }, actions };
}
