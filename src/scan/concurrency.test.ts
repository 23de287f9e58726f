import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { concurrencyForLimit, FALLBACK_CONCURRENCY, MAX_DEFAULT_CONCURRENCY, MIN_CONCURRENCY, parseOpenFileLimit, readOpenFileLimit } from "./concurrency.ts";

const limits = (soft: string, hard = soft): string =>
  [
    "Limit                     Soft Limit           Hard Limit           Units     ",
    "Max cpu time              unlimited            unlimited            seconds   ",
    `Max open files            ${soft.padEnd(21)}${hard.padEnd(21)}files     `,
    "Max locked memory         8388608              8388608              bytes     ",
  ].join("\n");

describe("parseOpenFileLimit", () => {
  const cases: Array<[string, string, number | undefined]> = [
    ["a soft limit of 1024", limits("1024", "1048576"), 1024],
    ["a raised limit", limits("20000"), 20000],
    ["unlimited", limits("unlimited"), Number.POSITIVE_INFINITY],
    ["text without the line", "Limit Soft Hard\n", undefined],
    ["a garbled value", limits("lots"), undefined],
  ];
  for (const [name, text, expected] of cases) {
    it(`reads ${name}`, () => assert.equal(parseOpenFileLimit(text), expected));
  }
});

describe("concurrencyForLimit", () => {
  const cases: Array<[number | undefined, number]> = [
    [undefined, FALLBACK_CONCURRENCY],
    [40, MIN_CONCURRENCY],
    [1024, 256],
    [4096, 1024],
    [20000, MAX_DEFAULT_CONCURRENCY],
    [8192, 1024],
    [Number.POSITIVE_INFINITY, MAX_DEFAULT_CONCURRENCY],
  ];
  for (const [soft, expected] of cases) {
    it(`uses ${expected} probes at once for a soft limit of ${soft ?? "unknown"}`, () => assert.equal(concurrencyForLimit(soft), expected));
  }
});

describe("readOpenFileLimit", () => {
  it("reads a positive limit on Linux and nothing elsewhere", async () => {
    const soft = await readOpenFileLimit();
    if (process.platform === "linux") assert.ok(soft !== undefined && soft > 0, String(soft));
    else assert.equal(soft, undefined);
  });
});
