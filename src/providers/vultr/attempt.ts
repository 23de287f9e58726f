import type { Clock } from "../../core/clock.ts";
import { classifyNetworkError, type NetworkFailure } from "./retry-policy.ts";
import { childAbort } from "../../core/abort.ts";

/** The outcome of one HTTP exchange, as a value: the retry loop decides what it means. */
export type AttemptResult =
  | { type: "response"; status: number; headers: Headers; text: string }
  | { type: "network"; failure: NetworkFailure; cause: unknown }
  | { type: "timeout" }
  | { type: "aborted"; reason: unknown };

export interface AttemptInput {
  fetch: typeof fetch;
  clock: Clock;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/**
 * Sends one request and reads the whole body. The per-request timeout runs on the injected Clock
 * and is combined with the caller's signal; it covers the body as well as the headers.
 */
export async function attempt(input: AttemptInput): Promise<AttemptResult> {
  if (input.signal?.aborted) return { type: "aborted", reason: input.signal.reason };
  const call = childAbort(input.signal);
  const finished = new AbortController();
  let timedOut = false;
  input.clock.sleep(input.timeoutMs, finished.signal).then(
    () => {
      timedOut = true;
      call.abort(new Error(`no answer within ${input.timeoutMs} ms`));
    },
    () => undefined,
  );
  const signal = call.signal;
  try {
    // Redirects are not followed: the bearer token must only ever go to the configured base URL.
    const res = await input.fetch(input.url, { method: input.method, headers: input.headers, body: input.body, signal, redirect: "manual" });
    const text = await res.text();
    return { type: "response", status: res.status, headers: res.headers, text };
  } catch (e) {
    if (input.signal?.aborted) return { type: "aborted", reason: input.signal.reason };
    if (timedOut) return { type: "timeout" };
    return { type: "network", failure: classifyNetworkError(e), cause: e };
  } finally {
    finished.abort();
    call.dispose();
  }
}
