/**
 * A scripted stand-in for fetch, for this folder's unit tests (the simulator covers real HTTP).
 * Each call consumes the next step; the last step repeats.
 */
export type Step =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { error: unknown }
  /** Never answers; rejects with the signal's reason when aborted, as fetch does. */
  | "hang";

export interface StubCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export type StubFetch = typeof fetch & { calls: StubCall[] };

export function stubFetch(steps: readonly Step[]): StubFetch {
  const calls: StubCall[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({
      url: String(input),
      method: init?.method ?? "GET",
      headers: { ...(init?.headers as Record<string, string> | undefined) },
      body: typeof init?.body === "string" ? init.body : undefined,
    });
    const step = steps[Math.min(calls.length - 1, steps.length - 1)];
    if (step === undefined) throw new Error("stubFetch: no steps");
    if (step === "hang") {
      return new Promise<Response>((_resolve, reject) => {
        const signal = init?.signal;
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    }
    if ("error" in step) throw step.error;
    const body = step.status === 204 ? null : (step.body ?? "");
    return new Response(body, { status: step.status, headers: step.headers });
  };
  return Object.assign(fn as typeof fetch, { calls });
}

export const json = (status: number, value: unknown, headers?: Record<string, string>): Step => ({
  status,
  body: JSON.stringify(value),
  headers: { "content-type": "application/json", ...headers },
});

/** What undici throws when a connection is refused or dropped. */
export function fetchFailed(code: string, message: string): Error {
  return Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(message), { code }) });
}
