import type { AppError } from "../../core/errors.ts";
import type { AttemptResult } from "./attempt.ts";
import { snippet, vultrErrorText, type CallSite, type VultrErrors } from "./http-errors.ts";
import { backoffMs, isIdempotent, parseRetryAfter, type BackoffOptions, type HttpMethod } from "./retry-policy.ts";

/** What to do after one attempt. */
export type Decision =
  | { kind: "done"; status: number; body: unknown }
  | { kind: "retry"; waitMs: number; reason: string }
  /** 429: every request of the client waits `waitMs` (the pacer pauses), then this one retries. */
  | { kind: "pause"; waitMs: number; reason: string }
  | { kind: "fail"; error: AppError };

export interface DecideContext {
  errors: VultrErrors;
  method: HttpMethod;
  site: CallSite;
  /** 0-based attempt number. */
  attempt: number;
  maxRetries: number;
  backoff: BackoffOptions;
  timeoutMs: number;
  now: number;
}

/**
 * The retry rules, pure. A 429 was not processed, so any method retries it. 5xx, lost connections
 * and timeouts retry only for idempotent methods; for POST they are ambiguous (the write may have
 * happened) and the caller must re-read. Refused connections and unknown hosts sent nothing and fail
 * at once.
 */
export function decide(res: AttemptResult, ctx: DecideContext): Decision {
  const { errors, site, attempt: n } = ctx;
  const canRetry = n < ctx.maxRetries;
  const idempotent = isIdempotent(ctx.method);
  const backoff = () => backoffMs(n, ctx.backoff);

  if (res.type === "aborted") return { kind: "fail", error: errors.aborted(site, res.reason) };

  if (res.type === "network" || res.type === "timeout") {
    const timeout = res.type === "timeout";
    const reason = timeout ? `no answer within ${ctx.timeoutMs} ms` : res.failure.reason;
    const cause = timeout ? undefined : res.cause;
    const code = timeout ? "PROVIDER_TIMEOUT" : "PROVIDER_UNREACHABLE";
    if (!timeout && !res.failure.maybeSent) {
      return { kind: "fail", error: errors.unreachable(site, reason, n + 1, "PROVIDER_UNREACHABLE", cause) };
    }
    if (!idempotent) {
      return { kind: "fail", error: errors.ambiguous(site, null, reason, timeout ? "PROVIDER_TIMEOUT" : "PROVIDER_HTTP", cause) };
    }
    if (canRetry) return { kind: "retry", waitMs: backoff(), reason };
    return { kind: "fail", error: errors.unreachable(site, reason, n + 1, code, cause) };
  }

  const { status, text } = res;
  if (status >= 200 && status < 300) {
    if (text.trim() === "") return { kind: "done", status, body: undefined };
    try {
      return { kind: "done", status, body: JSON.parse(text) as unknown };
    } catch {
      return { kind: "fail", error: errors.badResponse(site, `${status} with a body that is not JSON: ${snippet(text)}`) };
    }
  }
  if (status === 429) {
    if (!canRetry) return { kind: "fail", error: errors.rateLimited(site, n + 1) };
    const waitMs = parseRetryAfter(res.headers.get("retry-after"), ctx.now) ?? backoff();
    return { kind: "pause", waitMs, reason: `429 rate limited; every request waits ${waitMs} ms` };
  }
  if (status === 401 || status === 403) return { kind: "fail", error: errors.auth(site, status, text) };
  if (status >= 500) {
    if (!idempotent) return { kind: "fail", error: errors.ambiguous(site, status, `Vultr answered ${status} ${vultrErrorText(text)}`) };
    if (canRetry) return { kind: "retry", waitMs: backoff(), reason: `Vultr answered ${status}` };
    return { kind: "fail", error: errors.http(site, status, text, n > 0 ? ` (after ${n + 1} attempts)` : "") };
  }
  if (status >= 400) return { kind: "fail", error: errors.http(site, status, text) };
  if (status >= 300 && status < 400) {
    const to = res.headers.get("location") ?? "(no location)";
    return { kind: "fail", error: errors.badResponse(site, `redirect ${status} to ${snippet(to)}, not followed so the API key goes nowhere else; check the baseUrl setting`) };
  }
  return { kind: "fail", error: errors.badResponse(site, `status ${status} (expected 2xx)`) };
}
