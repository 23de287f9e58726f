import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MAX_RETRY_AFTER_MS, backoffMs, classifyNetworkError, isIdempotent, parseRetryAfter } from "./retry-policy.ts";

const NOW = Date.parse("2026-01-01T00:00:00Z");

describe("parseRetryAfter", () => {
  const cases: [string | null, number | null][] = [
    ["1", 1000],
    [" 3 ", 3000],
    ["0", 0],
    ["1.5", 1500],
    ["Thu, 01 Jan 2026 00:00:05 GMT", 5000],
    ["Wed, 31 Dec 2025 23:59:00 GMT", 0],
    ["99999", MAX_RETRY_AFTER_MS],
    ["soon", null],
    ["", null],
    [null, null],
  ];
  for (const [header, want] of cases) {
    it(`reads ${JSON.stringify(header)} as ${want} ms`, () => {
      assert.equal(parseRetryAfter(header, NOW), want);
    });
  }
});

describe("backoffMs", () => {
  it("doubles each retry, stays within half to all of the ceiling, and is capped", () => {
    const lo = { baseMs: 100, maxMs: 1000, random: () => 0 };
    const hi = { baseMs: 100, maxMs: 1000, random: () => 0.999999 };
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => backoffMs(n, lo)), [50, 100, 200, 400, 500, 500]);
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => backoffMs(n, hi)), [100, 200, 400, 800, 1000, 1000]);
  });
});

describe("isIdempotent", () => {
  it("treats only POST as unsafe to repeat", () => {
    assert.deepEqual((["GET", "PUT", "PATCH", "DELETE", "POST"] as const).map(isIdempotent), [true, true, true, true, false]);
  });
});

describe("classifyNetworkError", () => {
  const fetchFailed = (cause: unknown) => Object.assign(new TypeError("fetch failed"), { cause });

  it("knows a refused connection sent nothing", () => {
    const e = fetchFailed(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }));
    assert.deepEqual(classifyNetworkError(e), { kind: "refused", maybeSent: false, reason: "connection refused (ECONNREFUSED)" });
  });

  it("finds the code inside an AggregateError (happy eyeballs)", () => {
    const agg = new AggregateError([Object.assign(new Error("x"), { code: "ECONNREFUSED" })], "all failed");
    assert.equal(classifyNetworkError(fetchFailed(agg)).kind, "refused");
  });

  it("knows an unknown host sent nothing", () => {
    const e = fetchFailed(Object.assign(new Error("getaddrinfo ENOTFOUND x.invalid"), { code: "ENOTFOUND" }));
    assert.equal(classifyNetworkError(e).kind, "dns");
    assert.equal(classifyNetworkError(e).maybeSent, false);
  });

  it("treats a socket closed mid-request as possibly sent", () => {
    const e = fetchFailed(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }));
    assert.deepEqual(classifyNetworkError(e), { kind: "lost", maybeSent: true, reason: "connection lost: other side closed (UND_ERR_SOCKET)" });
  });
});
