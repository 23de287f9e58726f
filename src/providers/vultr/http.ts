import { AppError } from "../../core/errors.ts";
import type { Clock } from "../../core/clock.ts";
import type { Redactor } from "../../core/redact.ts";
import { attempt } from "./attempt.ts";
import { decide } from "./decide.ts";
import { VultrErrors, snippet, type CallSite } from "./http-errors.ts";
import { Pacer, VULTR_LIMIT_PER_SECOND } from "./pacer.ts";
import { DEFAULT_BACKOFF, type BackoffOptions, type HttpMethod } from "./retry-policy.ts";

export const VULTR_BASE_URL = "https://api.vultr.com/v2";

/** One HTTP attempt, reported after it ends. Holds no header and no secret. */
export interface RequestInfo {
  method: HttpMethod;
  /** Path and query, relative to the base URL. */
  path: string;
  /** 0 for the first try of a call, then 1, 2, … */
  attempt: number;
  /** Clock time the request was sent (epoch ms). */
  startedAt: number;
  durationMs: number;
  /** HTTP status, or null when no answer came. */
  status: number | null;
  /** "retry": another attempt follows; "error": the call fails; "ok": it succeeded. */
  outcome: "ok" | "retry" | "error";
  /** Redacted reason when outcome is not "ok". */
  error: string | null;
}

export interface VultrHttpOptions {
  baseUrl?: string;
  apiKey: string;
  /** Default 28; must stay below 30. Shared by every concurrent call of this client. */
  maxRequestsPerSecond?: number;
  /** Per attempt, headers and body included. Default 30 000. */
  timeoutMs?: number;
  clock: Clock;
  redactor: Redactor;
  fetch?: typeof fetch;
  /** Retries after the first attempt. Default 5. */
  maxRetries?: number;
  backoff?: Partial<BackoffOptions>;
  onRequest?: (info: RequestInfo) => void;
}

export interface CallOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

export interface HttpResult {
  status: number;
  /** Parsed JSON, or undefined for an empty body (204). */
  body: unknown;
}

/**
 * The Vultr API v2 transport: bearer auth, JSON, pacing below the rate limit, retries that never
 * repeat a write that may have happened, and errors that say what to do and never hold the key.
 */
export class VultrHttp {
  readonly baseUrl: string;
  readonly pacer: Pacer;
  private readonly apiKey: string;
  private readonly clock: Clock;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoff: BackoffOptions;
  private readonly onRequest: ((info: RequestInfo) => void) | undefined;
  /** Builds this client's errors (redacted); used by the adapter for answers it cannot read. */
  readonly errors: VultrErrors;

  constructor(options: VultrHttpOptions) {
    options.redactor.add(options.apiKey);
    this.baseUrl = (options.baseUrl ?? VULTR_BASE_URL).replace(/\/+$/, "");
    let parsed: URL | undefined;
    try {
      parsed = new URL(this.baseUrl);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.username !== "" || parsed.password !== "") {
      throw new AppError("CONFIG_INVALID", options.redactor.redact(`the Vultr base URL must be an http(s) URL without credentials; got ${snippet(this.baseUrl)}`));
    }
    if (options.apiKey.trim() === "") {
      throw new AppError("SECRET_MISSING", "no Vultr API key was given", { hint: "set VULTR_API_KEY" });
    }
    this.apiKey = options.apiKey.trim();
    this.clock = options.clock;
    // Vultr's 30/s is never exceeded; only a simulator on loopback may be driven faster.
    this.pacer = new Pacer({
      clock: options.clock,
      maxRequestsPerSecond: options.maxRequestsPerSecond,
      limitPerSecond: isLoopback(parsed) ? Number.POSITIVE_INFINITY : VULTR_LIMIT_PER_SECOND,
    });
    this.fetchFn = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 5;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.onRequest = options.onRequest;
    this.errors = new VultrErrors(options.redactor, this.baseUrl);
  }

  get(path: string, options?: CallOptions): Promise<HttpResult> {
    return this.request("GET", path, options);
  }

  /** Sends one call, retrying as Vultr's semantics allow; resolves only with a 2xx answer. */
  async request(method: HttpMethod, path: string, options: CallOptions = {}): Promise<HttpResult> {
    const shown = withQuery(path, options.query);
    const site: CallSite = { method, path: shown };
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: "application/json", "user-agent": "nodeward" };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.body);
    }
    const { signal } = options;
    for (let n = 0; ; n++) {
      try {
        await this.pacer.take(signal);
      } catch (e) {
        throw this.errors.aborted(site, e);
      }
      const startedAt = this.clock.now();
      const res = await attempt({ fetch: this.fetchFn, clock: this.clock, url: this.baseUrl + shown, method, headers, body, timeoutMs: this.timeoutMs, signal });
      const d = decide(res, { errors: this.errors, method, site, attempt: n, maxRetries: this.maxRetries, backoff: this.backoff, timeoutMs: this.timeoutMs, now: this.clock.now() });
      this.onRequest?.({
        method, path: shown, attempt: n, startedAt, durationMs: this.clock.now() - startedAt,
        status: res.type === "response" ? res.status : null,
        outcome: d.kind === "done" ? "ok" : d.kind === "fail" ? "error" : "retry",
        error: d.kind === "done" ? null : d.kind === "fail" ? d.error.message : this.errors.redact(d.reason),
      });
      if (d.kind === "done") return { status: d.status, body: d.body };
      if (d.kind === "fail") throw d.error;
      if (d.kind === "pause") {
        this.pacer.pauseUntil(this.clock.now() + d.waitMs);
        continue;
      }
      try {
        await this.clock.sleep(d.waitMs, signal);
      } catch (e) {
        throw this.errors.aborted(site, e);
      }
    }
  }
}

/** 127.0.0.0/8, ::1 and localhost: never Vultr. */
function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function withQuery(path: string, query: CallOptions["query"]): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const q = params.toString();
  return q === "" ? path : `${path}${path.includes("?") ? "&" : "?"}${q}`;
}
