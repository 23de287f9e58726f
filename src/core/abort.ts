/**
 * A child abort controller that follows `outer` and can be disposed: unlike AbortSignal.any, its
 * listener on the long-lived outer signal is removed as soon as the child is done, so a daemon that
 * makes millions of calls under one signal never piles up listeners on it.
 */
export function childAbort(outer?: AbortSignal): { signal: AbortSignal; abort: (reason?: unknown) => void; dispose: () => void } {
  const ctl = new AbortController();
  if (outer === undefined) return { signal: ctl.signal, abort: (r) => ctl.abort(r), dispose: () => {} };
  if (outer.aborted) {
    ctl.abort(outer.reason);
    return { signal: ctl.signal, abort: (r) => ctl.abort(r), dispose: () => {} };
  }
  const follow = () => ctl.abort(outer.reason);
  outer.addEventListener("abort", follow, { once: true });
  return { signal: ctl.signal, abort: (r) => ctl.abort(r), dispose: () => outer.removeEventListener("abort", follow) };
}
