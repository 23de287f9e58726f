import { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { classifyConnectError } from "./classify.ts";
import type { ProbeOutcome, ProbeTarget } from "./types.ts";

/**
 * One TCP connect probe with a real socket: connect(), wait for the first of connected / error /
 * timeout / abort, and destroy the socket in every case. A connected socket is closed with an RST
 * (SO_LINGER 0, like nmap) so open ports leave no TIME_WAIT behind. Resolves, never rejects, and
 * swallows the socket's late errors. The round trip is measured with the monotonic clock.
 *
 * A connect to a local address can meet itself: when the kernel happens to pick the target port
 * as the source port, TCP's simultaneous open "connects" a socket to itself (nmap checks this
 * too). That is reported as `self-connect`, not as an open port, and the engine probes again.
 */
export function tcpProbe(target: ProbeTarget, port: number, timeoutMs: number, signal: AbortSignal): Promise<ProbeOutcome> {
  return new Promise<ProbeOutcome>((resolve) => {
    if (signal.aborted) {
      resolve({ kind: "aborted" });
      return;
    }
    const socket = new Socket();
    const started = performance.now();
    let settled = false;

    const finish = (outcome: ProbeOutcome, connected: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      if (connected) socket.resetAndDestroy();
      else socket.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ kind: "aborted" }, false);
    const timer = setTimeout(() => finish({ kind: "timeout" }, false), Math.max(1, Math.ceil(timeoutMs)));

    socket.once("connect", () => {
      const rttMs = performance.now() - started;
      const self = socket.localPort === port && socket.localAddress === socket.remoteAddress;
      finish(self ? { kind: "self-connect" } : { kind: "answer", state: "open", reason: "connected", rttMs, timing: true }, true);
    });
    // Stays attached after `finish`: an error arriving after destroy must never go unhandled.
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (settled) return;
      const rttMs = performance.now() - started;
      const c = classifyConnectError(err.code);
      switch (c.kind) {
        case "answer":
          finish({ kind: "answer", state: c.state, reason: c.reason, rttMs, timing: c.timing }, false);
          return;
        case "silent":
          finish({ kind: "timeout" }, false);
          return;
        case "resource":
        case "fatal":
          finish({ kind: "local-error", code: err.code ?? "UNKNOWN", message: err.message, retryable: c.kind === "resource" }, false);
          return;
      }
    });
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      socket.connect({ host: target.address, port, family: target.family });
    } catch (err) {
      // Synchronous throws (invalid arguments) are programming errors here; report them as local.
      const e = err as NodeJS.ErrnoException;
      finish({ kind: "local-error", code: e.code ?? "UNKNOWN", message: e.message, retryable: false }, false);
    }
  });
}
