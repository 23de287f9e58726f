import { AppError } from "../core/errors.ts";
import { resolveSecret, type SecretRef } from "../config/secret-ref.ts";
import type { ChannelDeps } from "./channel.ts";

/**
 * A webhook URL is a secret: whoever has it can post to the channel. Resolves the reference,
 * checks it is http(s), and registers the URL and each token-like part of it (long path segments
 * and query values) with the redactor, so an answer echoing only the token is scrubbed too.
 */
export async function resolveSecretUrl(
  ref: SecretRef,
  what: string,
  deps: Pick<ChannelDeps, "env" | "redactor">,
): Promise<{ url: URL; warnings: string[] }> {
  const { value, warnings } = await resolveSecret(ref, what, deps.env, deps.redactor);
  let url: URL;
  try {
    url = new URL(value);
  } catch (e) {
    throw new AppError("CONFIG_INVALID", `${what} is not a URL`, { cause: e, hint: "copy the whole URL, starting with https://" });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AppError("CONFIG_INVALID", `${what} must be an http(s) URL, not ${url.protocol}`);
  }
  registerUrlParts(url, deps.redactor);
  if (url.protocol === "http:" && !isLoopback(url.hostname)) warnings.push(`${what} uses plain http: the token crosses the network unencrypted`);
  return { url, warnings };
}

export function registerUrlParts(url: URL, redactor: ChannelDeps["redactor"]): void {
  redactor.add(url.href);
  for (const segment of url.pathname.split("/")) {
    if (segment.length < 16) continue;
    redactor.add(segment);
    redactor.add(decoded(segment));
  }
  for (const value of url.searchParams.values()) if (value.length >= 16) redactor.add(value);
  if (url.password !== "") redactor.add(decoded(url.password));
}

function decoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
