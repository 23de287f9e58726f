import type { ServerResponse } from "node:http";
import type { Html } from "./html.ts";

/**
 * Security headers on every dashboard response: a CSP that allows only our own files (no inline
 * script or style, no framing), no referrer, no MIME sniffing, and no caching of pages.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};

export function sendHtml(res: ServerResponse, status: number, body: Html, extra: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...extra });
  res.end(body.text);
}

export function redirect(res: ServerResponse, location: string, setCookie: string[] = []): void {
  res.writeHead(303, { ...SECURITY_HEADERS, location, "cache-control": "no-store", ...(setCookie.length > 0 ? { "set-cookie": setCookie } : {}) });
  res.end();
}

export function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...extra });
  res.end(text);
}

export interface CookieOptions {
  secure: boolean;
  /** Seconds; 0 deletes the cookie. Absent: a browser-session cookie. */
  maxAge?: number;
}

/** HttpOnly, SameSite=Strict, Path=/; Secure when served over TLS or behind a trusted proxy. */
export function cookie(name: string, value: string, o: CookieOptions): string {
  return [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Strict", ...(o.secure ? ["Secure"] : []), ...(o.maxAge === undefined ? [] : [`Max-Age=${o.maxAge}`])].join("; ");
}
