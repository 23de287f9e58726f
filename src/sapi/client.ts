/**
 * The SAPI health probe: `GET http://HOST:8080/v1/client/status` with one total deadline and a
 * 64 KiB body cap, over a plain TCP socket (http-response.ts reads the answer). Since SmartCash 2.0, peers accept a SmartNode's ping only if they can reach
 * this port (NOTES §2.3), so "down" here costs the node its place just as a dead P2P port does.
 * Network outcomes are values; this never throws for them.
 */
import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import { deadline } from "../core/deadlines.ts";
import { AppError } from "../core/errors.ts";
import { socketDetail, socketFailure } from "../p2p/socket-errors.ts";
import { parseHttpResponse } from "./http-response.ts";
import { parseSapiStatus, type SapiStatus } from "./status.ts";

export type SapiResult =
  | ({ status: "up"; latencyMs: number } & SapiStatus)
  | { status: "down"; reason: "refused" | "timeout" | "reset" | "unreachable" | "http-status" | "bad-body"; detail: string; httpStatus?: number };

export interface SapiOptions {
  /** Total, from connect to the last body byte; default 5000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Default "/v1/client/status". */
  path?: string;
}

export const DEFAULT_STATUS_PATH = "/v1/client/status";
export const MAX_BODY_BYTES = 64 * 1024;

/** Resolves with the outcome; rejects only with AppError("USAGE") for options nodeward itself got wrong. */
export function sapiStatus(target: { host: string; port: number }, opts: SapiOptions = {}): Promise<SapiResult> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    return Promise.reject(new AppError("USAGE", `SAPI port must be 1–65535, got ${target.port}`));
  }
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) return Promise.reject(new AppError("USAGE", `SAPI timeoutMs must be a positive number, got ${timeoutMs}`));
  const path = opts.path ?? DEFAULT_STATUS_PATH;
  if (!/^\/[\x21-\x7e]*$/.test(path)) return Promise.reject(new AppError("USAGE", `SAPI path must start with / and hold no spaces or control characters, got ${JSON.stringify(path)}`));
  const host = target.host.startsWith("[") && target.host.endsWith("]") ? target.host.slice(1, -1) : target.host;
  const hostHeader = host.includes(":") ? `[${host}]:${target.port}` : `${host}:${target.port}`;
  const started = performance.now();

  return new Promise<SapiResult>((resolve) => {
    let settled = false;
    let received: Buffer = EMPTY;
    // One write per connection: no TCP_NODELAY needed.
    const socket = connect({ host, port: target.port });
    const timer = deadline(timeoutMs, () => down("timeout", `no complete answer within ${timeoutMs} ms`));
    const onAbort = () => down("timeout", "aborted");

    function finish(result: SapiResult): void {
      if (settled) return;
      settled = true;
      timer.cancel();
      opts.signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(result);
    }
    function down(reason: Extract<SapiResult, { status: "down" }>["reason"], detail: string, httpStatus?: number): void {
      finish(httpStatus === undefined ? { status: "down", reason, detail } : { status: "down", reason, detail, httpStatus });
    }
    function read(ended: boolean): void {
      const r = parseHttpResponse(received, ended, MAX_BODY_BYTES);
      if (r.kind === "more") return;
      if (r.kind === "bad") return down("bad-body", r.detail, r.status);
      if (r.kind === "cut") return down("reset", r.detail);
      if (r.status < 200 || r.status > 299) return down("http-status", `HTTP ${r.status} from ${path}`, r.status);
      const parsed = parseSapiStatus(r.body.toString("utf8"));
      if (parsed.kind === "error") return down("bad-body", parsed.detail, r.status);
      finish({ status: "up", latencyMs: Math.round((performance.now() - started) * 1000) / 1000, ...parsed.status });
    }

    socket.on("connect", () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nAccept: application/json\r\nConnection: close\r\nUser-Agent: nodeward/0.1.0\r\n\r\n`, "latin1");
    });
    socket.on("data", (chunk: Buffer) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      read(false);
    });
    socket.on("end", () => read(true));
    socket.on("error", (err) => down(socketFailure(err, received.length > 0 ? "reset" : "unreachable"), socketDetail(err)));
    socket.on("close", () => read(true));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const EMPTY = Buffer.alloc(0);
