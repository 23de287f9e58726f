/**
 * Proves from outside that a host speaks the coin's P2P protocol: connect as an outbound peer,
 * send version (services 0, addr_recv = the peer, addr_from = [::]:0) and verack together, read
 * the peer's version and verack, close. Each phase (connect, version, verack) has its own deadline.
 * Network outcomes are values; this never throws for them.
 */
import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { systemClock, type Clock } from "../core/clock.ts";
import { deadline, type Deadline } from "../core/deadlines.ts";
import { AppError } from "../core/errors.ts";
import { DEFAULT_MAX_PAYLOAD } from "./frame.ts";
import { FrameReader } from "./frame-reader.ts";
import { initialSession, sessionStep, type DownReason, type HandshakePhase } from "./handshake-session.ts";
import { frameMessage } from "./messages.ts";
import { DEFAULT_USER_AGENT, openingBytes } from "./outbound-opening.ts";
import type { P2pParams } from "./params.ts";
import { MAX_SUBVERSION_LENGTH } from "./version.ts";
import { socketDetail, socketFailure } from "./socket-errors.ts";

export type { DownReason, HandshakePhase } from "./handshake-session.ts";

export type HandshakeResult =
  | { status: "up"; latencyMs: number; protocolVersion: number; userAgent: string; services: string; startHeight: number; relay: boolean }
  | {
      status: "down";
      reason: DownReason;
      phase: HandshakePhase;
      detail: string;
      rejectCode?: number;
      rejectReason?: string;
      latencyMs?: number;
    };

export interface HandshakeOptions {
  /** Per phase; default 5000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Default "/nodeward:0.1.0/". */
  userAgent?: string;
  startHeight?: number;
  /** Reads time and schedules deadlines; default: a monotonic clock with sub-millisecond latency. */
  clock?: Clock;
  /** Largest payload accepted from the peer; default 4 MiB. */
  maxPayload?: number;
}

export { DEFAULT_USER_AGENT } from "./outbound-opening.ts";

/** Reason for cancelling a phase deadline; a constant, because abort() without one builds a DOMException each time. */
const PHASE_OVER = Symbol("phase over");

const monotonicClock: Clock = { now: () => performance.timeOrigin + performance.now(), sleep: systemClock.sleep };

interface PhaseDeadline {
  /** (Re)starts the countdown of a whole phase. */
  restart(): void;
  cancel(): void;
}

/**
 * One countdown re-armed at each phase. Without an injected clock it is one of the process's
 * swept deadlines (core/deadlines.ts: the watch daemon runs some 170 handshakes a second, and a
 * timer, AbortController or promise per phase costs CPU and memory); with one, each phase sleeps
 * on the clock and only the current phase's sleep counts.
 */
function phaseDeadline(clock: Clock | undefined, ms: number, expired: () => void): PhaseDeadline {
  if (clock === undefined) {
    let d: Deadline | undefined;
    return {
      restart: () => {
        if (d === undefined) d = deadline(ms, expired);
        else d.restart();
      },
      cancel: () => d?.cancel(),
    };
  }
  let current = new AbortController();
  return {
    restart: () => {
      current.abort(PHASE_OVER);
      const mine = (current = new AbortController());
      clock.sleep(ms, mine.signal).then(() => (mine === current && !mine.signal.aborted ? expired() : undefined), () => undefined);
    },
    cancel: () => current.abort(PHASE_OVER),
  };
}

/** Resolves with the outcome; rejects only with AppError("USAGE") for options nodeward itself got wrong. */
export function handshake(target: { host: string; port: number }, params: P2pParams, opts: HandshakeOptions = {}): Promise<HandshakeResult> {
  const clock = opts.clock ?? monotonicClock;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  const misuse = optionProblem(target.port, timeoutMs, userAgent);
  if (misuse !== undefined) return Promise.reject(new AppError("USAGE", misuse));
  const host = target.host.startsWith("[") && target.host.endsWith("]") ? target.host.slice(1, -1) : target.host;
  const started = clock.now();
  const elapsed = () => Math.round((clock.now() - started) * 1000) / 1000;

  return new Promise<HandshakeResult>((resolve) => {
    let phase: HandshakePhase = "connect";
    const deadline = phaseDeadline(opts.clock, timeoutMs, () => down("timeout", `no ${phase === "connect" ? "connection" : phase} within ${timeoutMs} ms`));
    let settled = false;
    const session = initialSession();
    const reader = new FrameReader(params, { maxPayload: opts.maxPayload ?? DEFAULT_MAX_PAYLOAD });
    // No TCP_NODELAY: we write once per connection, so Nagle has nothing to hold back (and the
    // setsockopt is one system call per probe fewer).
    const socket: Socket = connect({ host, port: target.port });

    /**
     * Up or down, the connection is closed at once: our verack went out with our version, so
     * nothing is left to send (the reducer's verack for the peer's version is that one).
     */
    const finish = (result: HandshakeResult) => {
      if (settled) return;
      settled = true;
      deadline.cancel();
      opts.signal?.removeEventListener("abort", onAbort);
      socket.removeAllListeners("data");
      socket.destroy();
      resolve(result);
    };
    const down = (reason: DownReason, detail: string, extra: { rejectCode?: number; rejectReason?: string } = {}) => {
      const timing = reason === "rejected" || reason === "protocol-too-old" ? { latencyMs: elapsed() } : {};
      finish({ status: "down", reason, phase, detail, ...extra, ...timing });
    };
    const startPhase = (next: HandshakePhase) => {
      phase = next;
      deadline.restart();
    };
    const onAbort = () => down("timeout", "aborted");

    socket.on("error", (err) => down(socketFailure(err, phase === "connect" ? "unreachable" : "reset"), socketDetail(err)));
    socket.on("close", () => down("closed", `peer closed the connection while we waited for its ${phase === "connect" ? "accept" : phase}`));
    socket.on("connect", () => {
      startPhase("version");
      // Version and verack in one write: the handshake is complete on both sides as soon as the
      // peer's version and verack are in (outbound-opening.ts says why that is safe).
      socket.write(openingBytes(params, { host, port: target.port, remoteAddress: socket.remoteAddress, nowSeconds: clock.now() / 1000, userAgent, startHeight: opts.startHeight ?? 0 }));
    });
    socket.on("data", (chunk: Buffer) => {
      for (const event of reader.push(chunk)) {
        const step = sessionStep(session, event, params);
        if (step.kind === "down") {
          const { kind: _kind, reason, detail, ...extra } = step;
          return down(reason, detail, extra);
        }
        if (step.kind === "up") {
          const latencyMs = elapsed();
          return finish({ status: "up", latencyMs, ...step.peer });
        }
        for (const m of step.send) socket.write(frameMessage(params, m));
        if (session.phase !== phase) startPhase(session.phase);
      }
    });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    startPhase("connect");
  });
}

function optionProblem(port: number, timeoutMs: number, userAgent: string): string | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `handshake port must be 1–65535, got ${port}`;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return `handshake timeoutMs must be a positive number, got ${timeoutMs}`;
  const bytes = Buffer.byteLength(userAgent);
  if (bytes > MAX_SUBVERSION_LENGTH) return `user agent must be at most ${MAX_SUBVERSION_LENGTH} bytes (MAX_SUBVERSION_LENGTH), got ${bytes}`;
  return undefined;
}
