import type { Clock } from "../../core/clock.ts";
import { Redactor } from "../../core/redact.ts";
import type { ChannelDeps } from "../channel.ts";
import type { AlertEvent, NodeRef, RewardClock } from "../event.ts";

/** Test support only: fixed times, a node, events, and channel dependencies with a hand-driven clock. */

export const MINUTE = 60_000;
/** 2025-01-02 14:05:00 UTC. */
export const T0 = Date.UTC(2025, 0, 2, 14, 5);
export const NODE: NodeRef = { id: "inst-1", name: "sn-ams-1", address: "203.0.113.7" };

/** Last good ping two minutes before T0; EXPIRED at +65, NEW_START_REQUIRED at +120 from it. */
export function rewardClock(lastGoodAt: number = T0 - 2 * MINUTE): RewardClock {
  return { lastGoodAt, expiresAt: lastGoodAt + 65 * MINUTE, newStartAt: lastGoodAt + 120 * MINUTE };
}

export function downEvent(over: { incidentId?: string; at?: number; node?: NodeRef } = {}): AlertEvent {
  const at = over.at ?? T0;
  return { kind: "down", at, node: over.node ?? NODE, incidentId: over.incidentId ?? "inc-1", since: at, cause: "p2p timeout", clock: rewardClock(at - 2 * MINUTE) };
}

export function recoveredEvent(over: { incidentId?: string; at?: number } = {}): AlertEvent {
  const at = over.at ?? T0 + 23 * MINUTE;
  return { kind: "recovered", at, node: NODE, incidentId: over.incidentId ?? "inc-1", since: T0, downForMs: at - T0 };
}

export interface ManualClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

/** now() is whatever the test set; sleep() waits for real (a few ms at most in tests) but honours abort. */
export function manualClock(start: number = T0): ManualClock {
  let t = start;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
    advance: (ms) => {
      t += ms;
    },
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, Math.min(ms, 20));
        signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(signal.reason);
        }, { once: true });
      }),
  };
}

export function channelDeps(env: Record<string, string | undefined> = {}, clock: Clock = manualClock()): ChannelDeps & { redactor: Redactor } {
  return { fetch: globalThis.fetch, clock, redactor: new Redactor(), env };
}

/** A signal that never fires, for sends that must not be cut short. */
export function noAbort(): AbortSignal {
  return new AbortController().signal;
}
