/**
 * The SAPI health probe: `GET http://HOST:8080/v1/client/status` with one total deadline and a
 * 64 KiB body cap. Since SmartCash 2.0, peers accept a SmartNode's ping only if they can reach
 * this port (NOTES §2.3), so "down" here costs the node its place just as a dead P2P port does.
 * Network outcomes are values; this never throws for them.
 */
import { request, type IncomingMessage } from "node:http";
import { performance } from "node:perf_hooks";
import { AppError } from "../core/errors.ts";
import { errorCode, socketDetail, socketFailure } from "../p2p/socket-errors.ts";
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
  const host = target.host.startsWith("[") && target.host.endsWith("]") ? target.host.slice(1, -1) : target.host;
  const started = performance.now();

  return new Promise<SapiResult>((resolve) => {
    let settled = false;
    let responded = false;
    const req = request({
      host,
      port: target.port,
      path: opts.path ?? DEFAULT_STATUS_PATH,
      method: "GET",
      agent: false,
      headers: { Accept: "application/json", Connection: "close", "User-Agent": "nodeward/0.1.0" },
    });
    const timer = setTimeout(() => down("timeout", `no complete answer within ${timeoutMs} ms`), timeoutMs);
    const onAbort = () => down("timeout", "aborted");

    function finish(result: SapiResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      req.destroy();
      resolve(result);
    }
    function down(reason: Extract<SapiResult, { status: "down" }>["reason"], detail: string, httpStatus?: number): void {
      finish(httpStatus === undefined ? { status: "down", reason, detail } : { status: "down", reason, detail, httpStatus });
    }

    req.on("error", (err) => {
      if (errorCode(err)?.startsWith("HPE_")) return down("bad-body", `the answer is not HTTP: ${socketDetail(err)}`);
      down(socketFailure(err, responded ? "reset" : "unreachable"), socketDetail(err));
    });
    req.on("response", (res: IncomingMessage) => {
      responded = true;
      const httpStatus = res.statusCode ?? 0;
      const declared = Number(res.headers["content-length"] ?? 0);
      if (declared > MAX_BODY_BYTES) return down("bad-body", `body of ${declared} bytes is over the ${MAX_BODY_BYTES}-byte cap`, httpStatus);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) return down("bad-body", `body is over the ${MAX_BODY_BYTES}-byte cap`, httpStatus);
        chunks.push(chunk);
      });
      res.on("error", (err) => down(socketFailure(err, "reset"), socketDetail(err)));
      res.on("close", () => {
        if (!res.complete) down("reset", "connection closed in the middle of the body");
      });
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (httpStatus < 200 || httpStatus > 299) {
          return down("http-status", `HTTP ${httpStatus} from ${opts.path ?? DEFAULT_STATUS_PATH}`, httpStatus);
        }
        const parsed = parseSapiStatus(text);
        if (parsed.kind === "error") return down("bad-body", parsed.detail, httpStatus);
        finish({ status: "up", latencyMs: Math.round((performance.now() - started) * 1000) / 1000, ...parsed.status });
      });
    });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    req.end();
  });
}
