import { AppError, ProviderHttpError, type ErrorCode } from "../../core/errors.ts";
import type { Redactor } from "../../core/redact.ts";

/**
 * The errors the Vultr client throws. Every message passes through the Redactor, so neither the
 * API key nor anything echoing it leaves this folder.
 */

export const PROVIDER = "vultr";

/** Where a failed call went: method and path (with query), never the key. */
export interface CallSite {
  method: string;
  path: string;
}

/**
 * A write that may or may not have happened: a POST answered with 5xx, or whose connection was
 * lost or timed out after the request could have been sent. Never repeat it blindly: re-read.
 */
export class AmbiguousWriteError extends AppError {
  readonly ambiguous = true as const;
  readonly provider = PROVIDER;
  readonly method: string;
  readonly path: string;
  /** The HTTP status when there was an answer (5xx), else null. */
  readonly status: number | null;

  constructor(site: CallSite, status: number | null, message: string, code: ErrorCode, cause?: unknown) {
    super(code, message, {
      cause,
      hint: "the change may have been applied; nodeward re-reads before trying again — run the command again if it stopped here",
    });
    this.name = "AmbiguousWriteError";
    this.method = site.method;
    this.path = site.path;
    this.status = status;
  }
}

export function isAmbiguousWrite(e: unknown): e is AmbiguousWriteError {
  return e instanceof AppError && (e as Partial<AmbiguousWriteError>).ambiguous === true;
}

/** Up to `max` characters of a body, on one line, quoted. */
export function snippet(text: string, max = 80): string {
  const one = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(one.length > max ? `${one.slice(0, max)}…` : one);
}

/** Vultr's `error` text from an error body, or a snippet of whatever came. */
export function vultrErrorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === "object" && parsed !== null && typeof (parsed as { error?: unknown }).error === "string") {
      return JSON.stringify((parsed as { error: string }).error);
    }
  } catch {
    // not JSON: fall through
  }
  return body.trim() === "" ? "(empty body)" : snippet(body);
}

/** The base URL as shown to people: no user-info, no query. */
export function displayBaseUrl(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, "")}`;
  } catch {
    return "(invalid base URL)";
  }
}

export class VultrErrors {
  private readonly redactor: Redactor;
  private readonly baseUrl: string;

  constructor(redactor: Redactor, baseUrl: string) {
    this.redactor = redactor;
    this.baseUrl = displayBaseUrl(baseUrl);
  }

  private r(text: string): string {
    return this.redactor.redact(text);
  }

  /** Redacts free text (e.g. a retry reason for the request log). */
  redact(text: string): string {
    return this.r(text);
  }

  /** A copy of an underlying error holding only redacted text (its message could echo a secret). */
  private safeCause(e: unknown, depth = 0): Error | undefined {
    if (e === undefined || e === null) return undefined;
    const message = e instanceof Error ? e.message : String(e);
    const copy = new Error(this.r(message));
    copy.name = e instanceof Error ? e.name : "Error";
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") Object.assign(copy, { code });
    const inner = (e as { cause?: unknown }).cause;
    if (depth < 3 && inner !== undefined) copy.cause = this.safeCause(inner, depth + 1);
    copy.stack = `${copy.name}: ${copy.message}`;
    return copy;
  }

  auth(site: CallSite, status: number, body: string): ProviderHttpError {
    const what = status === 401 ? "401 Unauthorized" : `${status} Forbidden`;
    return new ProviderHttpError(
      { provider: PROVIDER, status, method: site.method, path: site.path, code: "PROVIDER_AUTH",
        message: this.r(`Vultr answered ${what} to ${site.method} ${site.path} (${vultrErrorText(body)}): check VULTR_API_KEY, its permissions, and the key's allowed IP list`) },
      { hint: "in the Vultr portal (Account → API) make sure API access is enabled and this machine's public IP is allowed; the key's user needs the firewall and server permissions" },
    );
  }

  http(site: CallSite, status: number, body: string, note = ""): ProviderHttpError {
    return new ProviderHttpError({
      provider: PROVIDER, status, method: site.method, path: site.path,
      message: this.r(`Vultr answered ${status} to ${site.method} ${site.path}: ${vultrErrorText(body)}${note}`),
    });
  }

  rateLimited(site: CallSite, attempts: number): ProviderHttpError {
    return new ProviderHttpError(
      { provider: PROVIDER, status: 429, method: site.method, path: site.path,
        message: this.r(`Vultr kept answering 429 (rate limited) to ${site.method} ${site.path}, ${attempts} attempts`) },
      { hint: "Vultr allows 30 requests per second per source IP, shared by every tool on this IP: lower maxRequestsPerSecond or stop the other clients" },
    );
  }

  ambiguous(site: CallSite, status: number | null, what: string, code: ErrorCode = "PROVIDER_HTTP", cause?: unknown): AmbiguousWriteError {
    return new AmbiguousWriteError(site, status, this.r(`${site.method} ${site.path} may or may not have been applied by Vultr: ${what}`), code, this.safeCause(cause));
  }

  unreachable(site: CallSite, reason: string, attempts: number, code: "PROVIDER_UNREACHABLE" | "PROVIDER_TIMEOUT", cause?: unknown): AppError {
    const tries = attempts > 1 ? ` (${attempts} attempts, ${site.method} ${site.path})` : ` (${site.method} ${site.path})`;
    return new AppError(code, this.r(`cannot reach the Vultr API at ${this.baseUrl}: ${reason}${tries}`), {
      cause: this.safeCause(cause),
      hint: "check this machine's network, DNS and proxy, and the provider's baseUrl setting; https://status.vultr.com shows Vultr outages",
    });
  }

  badResponse(site: CallSite, what: string): AppError {
    return new AppError("PROVIDER_BAD_RESPONSE", this.r(`unexpected answer from Vultr to ${site.method} ${site.path}: ${what}`), {
      hint: "the Vultr API may have changed, or something other than Vultr answered (a proxy or captive portal); check the baseUrl setting",
    });
  }

  aborted(site: CallSite, reason: unknown): AppError {
    return new AppError("ABORTED", this.r(`${site.method} ${site.path} was cancelled`), { cause: this.safeCause(reason) });
  }
}
