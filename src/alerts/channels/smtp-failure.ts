import type { Redactor } from "../../core/redact.ts";
import type { SendResult } from "../channel.ts";
import { transportError } from "../http-post.ts";

/**
 * An SMTP failure as a SendResult. SMTP says itself what is worth retrying: 4xx replies are
 * temporary, 5xx permanent (a rejected login, recipient or message). Without a reply, socket and
 * DNS errors are retried; TLS and authentication errors are configuration, not retried.
 */

const FINAL_CODES = new Set(["EAUTH", "ENOAUTH", "EENVELOPE", "EMESSAGE", "ETLS", "EOAUTH2", "ECONFIG"]);

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

export function smtpFailure(e: unknown, signal: AbortSignal, where: string, redactor: Redactor): SendResult {
  const fail = (retryable: boolean, error: string): SendResult => ({ ok: false, retryable, error: redactor.redact(error) });
  if (signal.aborted) return fail(true, `${where}: ${transportError(e, signal)}`);
  const err = (typeof e === "object" && e !== null ? e : { message: String(e) }) as SmtpError;
  const detail = (err.message ?? "error").replace(/\s+/g, " ").trim();
  const code = err.code === undefined ? "" : ` (${err.code})`;
  if (typeof err.responseCode === "number") {
    const temporary = err.responseCode >= 400 && err.responseCode < 500;
    return fail(temporary, `${where} refused${code}: ${detail}`);
  }
  if (err.code !== undefined && FINAL_CODES.has(err.code)) return fail(false, `${where}${code}: ${detail}`);
  if (/wrong version number/i.test(detail)) {
    return fail(true, `${where}: the TLS handshake failed, the port does not speak TLS from the start; use security: starttls (usually port 587)`);
  }
  return fail(true, `${where} unreachable${code}: ${detail}`);
}
