import type { ChannelDeps, SendResult } from "./channel.ts";

/**
 * One JSON POST to a chat service, its answer classified into a SendResult: 2xx sent; 429, 408,
 * 5xx, timeouts and connection errors retryable; any other 4xx and redirects final. Every error
 * text passes through the redactor, since URLs and answers may carry the webhook token.
 */

export interface JsonPost {
  /** "Discord": the start of every error message. */
  service: string;
  url: string;
  body: string;
  headers?: Record<string, string>;
  /** Where the service puts its wait on 429 besides Retry-After (which wins), in ms. */
  retryAfterFromBody?: (json: unknown) => number | undefined;
}

const SNIPPET = 300;

export async function postJson(deps: Pick<ChannelDeps, "fetch" | "redactor" | "clock">, post: JsonPost, signal: AbortSignal): Promise<SendResult> {
  const fail = (retryable: boolean, error: string, retryAfterMs?: number): SendResult => ({
    ok: false,
    retryable,
    error: deps.redactor.redact(error),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
  let res: Response;
  let text: string;
  try {
    res = await deps.fetch(post.url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "nodeward", ...post.headers },
      body: post.body,
      signal,
      redirect: "manual",
    });
    text = await res.text();
  } catch (e) {
    return fail(true, `${post.service}: ${transportError(e, signal)}`);
  }
  if (res.status >= 200 && res.status < 300) return { ok: true };
  const what = `${post.service} answered HTTP ${res.status}${snippet(text)}`;
  if (res.status >= 300 && res.status < 400) {
    return fail(false, `${what}: redirected; put the final URL in the configuration`);
  }
  if (res.status === 429 || res.status === 408 || res.status >= 500) {
    const fromHeader = retryAfterHeader(res.headers.get("retry-after"), deps.clock.now());
    const fromBody = res.status === 429 ? post.retryAfterFromBody?.(parseJson(text)) : undefined;
    return fail(true, what, fromHeader ?? fromBody);
  }
  return fail(false, what);
}

/** Why a request got no answer: timeout, cancel, or the socket error's code. */
export function transportError(e: unknown, signal: AbortSignal): string {
  if (signal.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    return reason?.name === "TimeoutError" ? "no answer within the send timeout" : "sending was cancelled";
  }
  const cause = (e as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (code !== undefined) return `unreachable (${code})`;
  return `unreachable (${cause?.message ?? (e instanceof Error ? e.message : String(e))})`;
}

/** Retry-After: delay-seconds or an HTTP date. */
export function retryAfterHeader(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Seconds (possibly fractional) as a service wrote them → ms. */
export function secondsToMs(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.ceil(v * 1000) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat === "") return "";
  return `: ${flat.length > SNIPPET ? `${flat.slice(0, SNIPPET)}…` : flat}`;
}
