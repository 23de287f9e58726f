import type { ChannelDeps, SendResult } from "./channel.ts";

/**
 * One JSON POST to a chat service, its answer classified into a SendResult: 2xx sent; 429, 408,
 * 5xx, timeouts and connection errors retryable; any other 4xx, redirects, and a request that
 * cannot even be built (a header HTTP cannot carry) final, since sending it again gives the same
 * answer. Every error text passes through the redactor, since URLs and answers may carry the
 * webhook token.
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

/** Printable ASCII, no spaces at the ends: what every HTTP stack passes on unchanged. */
const HEADER_VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/;

/** undici's codes for a request refused before anything was sent. */
const UNBUILDABLE_CODES = new Set(["UND_ERR_INVALID_ARG", "ERR_INVALID_URL", "ERR_INVALID_ARG_TYPE", "ERR_INVALID_ARG_VALUE", "UND_ERR_NOT_SUPPORTED"]);

/**
 * fetch refused the request itself: its WebIDL checks throw a TypeError without a cause (a header
 * value outside Latin-1 or with a line break), undici's own checks fail with an argument code.
 * A network failure is always "fetch failed" with the socket error as its cause.
 */
function unbuildable(e: unknown): boolean {
  const code = (e as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (typeof code === "string") return UNBUILDABLE_CODES.has(code);
  return e instanceof TypeError && (e as { cause?: unknown }).cause === undefined;
}

function buildError(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === "string" ? cause.code : e instanceof Error ? e.name : typeof e;
}

export async function postJson(deps: Pick<ChannelDeps, "fetch" | "redactor" | "clock">, post: JsonPost, signal: AbortSignal): Promise<SendResult> {
  const fail = (retryable: boolean, error: string, retryAfterMs?: number): SendResult => ({
    ok: false,
    retryable,
    error: deps.redactor.redact(error),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
  const badHeader = Object.entries(post.headers ?? {}).find(([, v]) => !HEADER_VALUE.test(v))?.[0];
  if (badHeader !== undefined) {
    return fail(false, `${post.service}: the ${badHeader} header holds characters HTTP cannot send; this is a bug in nodeward, please report it`);
  }
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
    if (!signal.aborted && unbuildable(e)) return fail(false, `${post.service}: the request could not be built (${buildError(e)}); this is a bug in nodeward, please report it`);
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
