import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_BACKOFF, retryDelay } from "./backoff.ts";

const at = (random: number) => ({ ...DEFAULT_BACKOFF, random: () => random });

describe("retryDelay", () => {
  const cases: { name: string; random: number; failures: number; retryAfterMs?: number; want: number }[] = [
    { name: "waits half the first step with the lowest jitter", random: 0, failures: 1, want: 7_500 },
    { name: "waits the whole first step with the highest jitter", random: 0.999_999, failures: 1, want: 15_000 },
    { name: "doubles with every failure", random: 0, failures: 3, want: 30_000 },
    { name: "stops growing at the maximum", random: 0, failures: 30, want: 300_000 },
    { name: "honours the service's Retry-After", random: 0, failures: 5, retryAfterMs: 7_000, want: 7_000 },
    { name: "adds at most a second of jitter to Retry-After", random: 0.5, failures: 1, retryAfterMs: 60_000, want: 60_500 },
    { name: "never retries sooner than a second", random: 0, failures: 1, retryAfterMs: 0, want: 1_000 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(retryDelay(at(c.random), c.failures, c.retryAfterMs), c.want);
    });
  }
});
