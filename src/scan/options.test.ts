import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isAppError } from "../core/errors.ts";
import { scanSettings } from "./options.ts";
import type { ScanOptions } from "./types.ts";

describe("scanSettings", () => {
  it("fills in nmap-like timeouts, two retries at most and the given default concurrency", () => {
    assert.deepEqual(scanSettings({ ports: [80, 22, 80] }, 777), {
      ports: [80, 22],
      concurrency: 777,
      limits: { initialMs: 1000, minMs: 100, maxMs: 3000 },
      maxRetries: 2,
    });
  });

  it("keeps what the caller chose", () => {
    const s = scanSettings({ ports: [1], concurrency: 8, initialTimeoutMs: 300, minTimeoutMs: 20, maxTimeoutMs: 400, maxRetries: 0 }, 512);
    assert.deepEqual(s, { ports: [1], concurrency: 8, limits: { initialMs: 300, minMs: 20, maxMs: 400 }, maxRetries: 0 });
  });

  const bad: Array<[string, ScanOptions, RegExp]> = [
    ["no ports", { ports: [] }, /no ports to scan/],
    ["port 0", { ports: [0] }, /0 is not a TCP port/],
    ["port 70000", { ports: [22, 70000] }, /70000 is not a TCP port/],
    ["a fractional port", { ports: [22.5] }, /22\.5 is not a TCP port/],
    ["zero concurrency", { ports: [22], concurrency: 0 }, /concurrency 0 is out of range/],
    ["huge concurrency", { ports: [22], concurrency: 1e6 }, /concurrency 1000000 is out of range/],
    ["a negative floor", { ports: [22], minTimeoutMs: -1 }, /minTimeoutMs must be a positive/],
    ["a floor above the ceiling", { ports: [22], minTimeoutMs: 500, maxTimeoutMs: 200 }, /minTimeoutMs 500 is above maxTimeoutMs 200/],
    ["NaN initial timeout", { ports: [22], initialTimeoutMs: Number.NaN }, /initialTimeoutMs must be a positive/],
    ["negative retries", { ports: [22], maxRetries: -1 }, /maxRetries -1 is out of range/],
    ["too many retries", { ports: [22], maxRetries: 11 }, /maxRetries 11 is out of range/],
  ];
  for (const [name, opts, message] of bad) {
    it(`refuses ${name} with a usage error`, () => {
      assert.throws(() => scanSettings(opts, 512), (e: unknown) => isAppError(e) && e.code === "USAGE" && message.test(e.message));
    });
  }
});
