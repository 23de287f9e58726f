import { childAbort } from "../core/abort.ts";

/**
 * An abort signal that fires after `ms` with a TimeoutError, like AbortSignal.timeout, but on a
 * timer that keeps the process alive: a send waiting on its deadline must not be cut off by the
 * event loop running dry (AbortSignal.timeout's timer is unref'd). Call clear() when done.
 */
export function deadline(ms: number, outer?: AbortSignal): { signal: AbortSignal; clear: () => void } {
  const child = childAbort(outer);
  const timer = setTimeout(() => child.abort(new DOMException(`no answer within ${ms} ms`, "TimeoutError")), ms);
  return {
    signal: child.signal,
    clear: () => {
      clearTimeout(timer);
      child.dispose();
    },
  };
}
