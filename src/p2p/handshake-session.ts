/**
 * The outbound side of the handshake as a pure reducer: given what the reader produced, what to
 * send and whether the peer is up or down. The socket code (handshake.ts) only moves bytes and
 * keeps time. We have sent our version; we wait for the peer's version and verack (in either
 * order), answer pings, and stop at the first sign that the peer is not the node we expect.
 */
import type { FrameEvent } from "./frame-reader.ts";
import { decodeMessage, type P2pMessage } from "./messages.ts";
import type { P2pParams } from "./params.ts";
import type { VersionMessage } from "./version.ts";

export type HandshakePhase = "connect" | "version" | "verack";

export type DownReason =
  | "refused"
  | "timeout"
  | "reset"
  | "unreachable"
  | "bad-magic"
  | "bad-checksum"
  | "rejected"
  | "protocol-too-old"
  | "garbage"
  | "closed";

export interface PeerVersion {
  protocolVersion: number;
  userAgent: string;
  /** uint64 as 16 hex digits, as bitcoind's getpeerinfo prints it. */
  services: string;
  startHeight: number;
  relay: boolean;
}

export interface SessionState {
  phase: "version" | "verack";
  peer?: PeerVersion;
  verackSeen: boolean;
}

export type SessionStep =
  | { kind: "wait"; send: P2pMessage[] }
  | { kind: "up"; peer: PeerVersion; send: P2pMessage[] }
  | { kind: "down"; reason: DownReason; detail: string; rejectCode?: number; rejectReason?: string };

export function initialSession(): SessionState {
  return { phase: "version", verackSeen: false };
}

export function peerVersion(v: VersionMessage): PeerVersion {
  return {
    protocolVersion: v.version,
    userAgent: v.userAgent ?? "",
    services: BigInt.asUintN(64, v.services).toString(16).padStart(16, "0"),
    startHeight: v.startHeight ?? -1,
    relay: v.relay ?? true,
  };
}

/** Advances `state` in place and says what happens next. */
export function sessionStep(state: SessionState, event: FrameEvent, params: P2pParams): SessionStep {
  if (event.kind === "error") {
    if (event.reason === "bad-checksum") return { kind: "down", reason: "bad-checksum", detail: event.detail };
    if (event.reason === "bad-magic" && event.command !== undefined) {
      return { kind: "down", reason: "bad-magic", detail: `${event.detail} (a '${event.command}' frame of another network)` };
    }
    return { kind: "down", reason: "garbage", detail: `not a P2P frame: ${event.detail}` };
  }
  const decoded = decodeMessage(event.command, event.payload, params);
  if (decoded.kind === "error") {
    const e = decoded.error;
    return { kind: "down", reason: "garbage", detail: `malformed ${event.command} from the peer: ${e.code} ${e.field} (${e.detail})` };
  }
  const m = decoded.value;
  switch (m.type) {
    case "reject": {
      const r = m.reject;
      const detail = `peer rejected our ${r.message || "message"}: code 0x${r.code.toString(16).padStart(2, "0")} "${r.reason}"`;
      return { kind: "down", reason: "rejected", detail, rejectCode: r.code, rejectReason: r.reason };
    }
    case "ping":
      return { kind: "wait", send: [{ type: "pong", nonce: m.nonce }] };
    case "version": {
      if (state.peer !== undefined) return { kind: "wait", send: [] };
      const peer = peerVersion(m.version);
      if (peer.protocolVersion < params.minProtocolVersion) {
        const detail = `peer speaks protocol ${peer.protocolVersion} (${peer.userAgent || "no user agent"}); at least ${params.minProtocolVersion} is required`;
        return { kind: "down", reason: "protocol-too-old", detail };
      }
      state.peer = peer;
      state.phase = "verack";
      return state.verackSeen ? { kind: "up", peer, send: [{ type: "verack" }] } : { kind: "wait", send: [] };
    }
    case "verack":
      state.verackSeen = true;
      return state.peer !== undefined ? { kind: "up", peer: state.peer, send: [{ type: "verack" }] } : { kind: "wait", send: [] };
    default:
      return { kind: "wait", send: [] };
  }
}
