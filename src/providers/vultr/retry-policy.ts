/**
 * When to retry a Vultr call and how long to wait. Pure: no I/O, time passed in.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Methods whose repetition cannot create a second resource. */
export function isIdempotent(method: HttpMethod): boolean {
  return method !== "POST";
}

export interface BackoffOptions {
  /** First retry waits about this long (ms). */
  baseMs: number;
  /** No wait is longer than this (ms). */
  maxMs: number;
  /** A number in [0, 1); Math.random by default. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 8_000 };

/** Exponential backoff with jitter: retry n (0-based) waits in [½, 1] × min(max, base·2ⁿ). */
export function backoffMs(retry: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, retry));
  const r = (options.random ?? Math.random)();
  return Math.round(ceiling * (0.5 + 0.5 * r));
}

/** Longest Retry-After nodeward honours; a longer one is capped (and the call retried later anyway). */
export const MAX_RETRY_AFTER_MS = 120_000;

/**
 * `Retry-After` as a wait in ms: integer seconds ("2") or an HTTP-date. Null when absent or
 * unreadable (the caller falls back to backoff). Never negative, never above MAX_RETRY_AFTER_MS.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === "") return null;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = at - nowMs;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.ceil(ms)));
}

/** What went wrong below HTTP, and whether the request may have reached Vultr. */
export interface NetworkFailure {
  kind: "refused" | "dns" | "lost" | "timeout";
  /** False only when nothing can have been sent (no connection was made). */
  maybeSent: boolean;
  /** Short text for messages, e.g. "connection refused (ECONNREFUSED)". */
  reason: string;
}

const NOT_SENT: Record<string, { kind: NetworkFailure["kind"]; text: string }> = {
  ECONNREFUSED: { kind: "refused", text: "connection refused" },
  ENOTFOUND: { kind: "dns", text: "host name not found" },
  EAI_AGAIN: { kind: "dns", text: "DNS lookup failed temporarily" },
  EHOSTUNREACH: { kind: "refused", text: "host unreachable" },
  ENETUNREACH: { kind: "refused", text: "network unreachable" },
  UND_ERR_CONNECT_TIMEOUT: { kind: "timeout", text: "connect timeout" },
};

function codeOf(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const errors = (e as { errors?: unknown }).errors;
  if (Array.isArray(errors)) return errors.map(codeOf).find((c) => c !== undefined);
  return undefined;
}

/** Classifies an error thrown by fetch (or while reading its body); undici puts the cause in `cause`. */
export function classifyNetworkError(e: unknown): NetworkFailure {
  const cause = typeof e === "object" && e !== null && "cause" in e ? (e as { cause: unknown }).cause : undefined;
  const code = codeOf(cause) ?? codeOf(e);
  const known = code === undefined ? undefined : NOT_SENT[code];
  if (known) return { kind: known.kind, maybeSent: false, reason: `${known.text} (${code})` };
  const detail = cause instanceof Error ? cause.message : e instanceof Error ? e.message : String(e);
  return { kind: "lost", maybeSent: true, reason: `connection lost: ${detail}${code ? ` (${code})` : ""}` };
}
