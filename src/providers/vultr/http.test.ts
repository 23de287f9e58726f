import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { AppError, ProviderHttpError } from "../../core/errors.ts";
import { Redactor } from "../../core/redact.ts";
import { isAmbiguousWrite } from "./http-errors.ts";
import { VultrHttp, type RequestInfo, type VultrHttpOptions } from "./http.ts";
import { fetchFailed, json, stubFetch, type Step } from "./stub-fetch.ts";
import { TestClock } from "./test-clock.ts";

const KEY = "VKEY0123456789ABCDEFGHIJKLMNOPQRSTUV";
const BASE = "https://api.example.test/v2";

function client(steps: readonly Step[], over: Partial<VultrHttpOptions> = {}) {
  const clock = new TestClock();
  const fetch = stubFetch(steps);
  const infos: RequestInfo[] = [];
  const http = new VultrHttp({
    baseUrl: BASE, apiKey: KEY, clock, redactor: new Redactor(), fetch, timeoutMs: 10_000,
    backoff: { random: () => 0.5 }, onRequest: (i) => infos.push(i), ...over,
  });
  return { http, clock, fetch, infos };
}

/** Runs the clock until `p` settles; returns its error (or fails when it resolves). */
async function failure(p: Promise<unknown>, clock: TestClock): Promise<AppError> {
  const settled = p.then(() => assert.fail("expected a failure"), (e: unknown) => e);
  await clock.runAll();
  const e = await settled;
  assert.ok(e instanceof AppError, `expected AppError, got ${String(e)}`);
  return e;
}

describe("VultrHttp", () => {
  it("sends the key as a bearer token and JSON bodies, and parses the answer", async () => {
    const { http, fetch } = client([json(201, { firewall_group: { id: "g1" } })]);
    const res = await http.request("POST", "/firewalls", { body: { description: "x" }, query: { per_page: 500, cursor: undefined } });
    assert.deepEqual(res, { status: 201, body: { firewall_group: { id: "g1" } } });
    const call = fetch.calls[0]!;
    assert.equal(call.url, `${BASE}/firewalls?per_page=500`);
    assert.equal(call.headers.authorization, `Bearer ${KEY}`);
    assert.equal(call.headers["content-type"], "application/json");
    assert.equal(call.body, '{"description":"x"}');
  });

  it("resolves a 204 with no body", async () => {
    const { http } = client([{ status: 204 }]);
    assert.deepEqual(await http.request("DELETE", "/firewalls/g/rules/1"), { status: 204, body: undefined });
  });

  it("waits Retry-After on 429, pausing every request of the client, then retries", async () => {
    const { http, clock, infos } = client([json(429, { error: "rate limit exceeded", status: 429 }, { "retry-after": "2" }), json(200, { a: 1 })]);
    const t0 = clock.now();
    const p = http.request("POST", "/firewalls", { body: {} });
    await clock.runAll();
    assert.deepEqual((await p).body, { a: 1 });
    assert.equal(http.pacer.pausedUntilMs, t0 + 2000);
    assert.deepEqual(infos.map((i) => [i.status, i.outcome, i.startedAt - t0]), [[429, "retry", 0], [200, "ok", 2000]]);
  });

  it("holds a concurrent request queued behind a 429 until the pause ends", async () => {
    const { http, clock, infos } = client([json(429, {}, { "retry-after": "2" }), json(200, {})]);
    const t0 = clock.now();
    const both = Promise.all([http.get("/firewalls"), http.get("/instances")]);
    await clock.runAll();
    await both;
    const sends = infos.map((i) => [i.path, i.startedAt - t0]);
    assert.deepEqual(sends[0], ["/firewalls", 0]);
    assert.ok(sends.slice(1).every(([, t]) => Number(t) >= 2000), JSON.stringify(sends));
  });

  it("falls back to backoff for a 429 without Retry-After", async () => {
    const { http, clock, infos } = client([json(429, {}), json(200, {})]);
    const p = http.get("/instances");
    await clock.runAll();
    await p;
    assert.equal((infos[1]?.startedAt ?? 0) - (infos[0]?.startedAt ?? 0), 188, "0.75 × 250 ms");
  });

  it("retries a 5xx on GET with growing backoff and succeeds", async () => {
    const { http, clock, fetch, infos } = client([json(500, {}), json(503, {}), json(200, { ok: true })]);
    const p = http.get("/instances");
    await clock.runAll();
    assert.deepEqual((await p).body, { ok: true });
    assert.equal(fetch.calls.length, 3);
    const gaps = infos.slice(1).map((i, n) => i.startedAt - (infos[n]?.startedAt ?? 0));
    assert.deepEqual(gaps, [188, 375]);
  });

  it("gives up on GET after maxRetries with the status in the error", async () => {
    const { http, clock, fetch } = client([json(502, { error: "bad gateway" })], { maxRetries: 2 });
    const e = await failure(http.get("/instances"), clock);
    assert.ok(e instanceof ProviderHttpError);
    assert.equal(e.status, 502);
    assert.match(e.message, /502 to GET \/instances.*after 3 attempts/);
    assert.equal(fetch.calls.length, 3);
  });

  it("never repeats a POST answered with 5xx: it is ambiguous", async () => {
    const { http, clock, fetch } = client([json(500, { error: "oops" }), json(201, {})]);
    const e = await failure(http.request("POST", "/firewalls/g/rules", { body: {} }), clock);
    assert.ok(isAmbiguousWrite(e));
    assert.equal(e.code, "PROVIDER_HTTP");
    assert.equal(fetch.calls.length, 1);
  });

  it("treats a connection lost after sending a POST as ambiguous, and retries it for GET", async () => {
    const drop = { error: fetchFailed("UND_ERR_SOCKET", "other side closed") };
    const post = client([drop, json(201, {})]);
    const e = await failure(post.http.request("POST", "/firewalls", { body: {} }), post.clock);
    assert.ok(isAmbiguousWrite(e));
    assert.equal(post.fetch.calls.length, 1);
    const get = client([drop, json(200, { ok: 1 })]);
    const p = get.http.get("/firewalls");
    await get.clock.runAll();
    assert.deepEqual((await p).body, { ok: 1 });
  });

  it("fails fast and unambiguously when the connection is refused, naming the base URL", async () => {
    const { http, clock, fetch } = client([{ error: fetchFailed("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9") }]);
    const e = await failure(http.request("POST", "/firewalls", { body: {} }), clock);
    assert.equal(e.code, "PROVIDER_UNREACHABLE");
    assert.equal(isAmbiguousWrite(e), false);
    assert.match(e.message, /^cannot reach the Vultr API at https:\/\/api\.example\.test\/v2: connection refused/);
    assert.ok(e.hint);
    assert.equal(fetch.calls.length, 1);
  });

  it("times out a hanging GET on the clock, retries, then reports PROVIDER_TIMEOUT", async () => {
    const { http, clock, fetch } = client(["hang"], { maxRetries: 1, timeoutMs: 5000 });
    const e = await failure(http.get("/instances"), clock);
    assert.equal(e.code, "PROVIDER_TIMEOUT");
    assert.match(e.message, /no answer within 5000 ms \(2 attempts/);
    assert.equal(fetch.calls.length, 2);
  });

  it("reports a timed-out POST as ambiguous", async () => {
    const { http, clock } = client(["hang"], { timeoutMs: 5000 });
    const e = await failure(http.request("POST", "/instances/i/reboot"), clock);
    assert.ok(isAmbiguousWrite(e));
    assert.equal(e.code, "PROVIDER_TIMEOUT");
  });

  it("stops at once when the caller aborts", async () => {
    const { http, clock } = client(["hang"]);
    const ac = new AbortController();
    const p = http.get("/instances", { signal: ac.signal });
    const settled = p.catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    ac.abort(new Error("user pressed ctrl-c"));
    const e = await settled;
    assert.ok(e instanceof AppError && e.code === "ABORTED");
    assert.equal(clock.pending, 0, "no timer left behind");
  });

  it("explains 401 and 403 with what to check", async () => {
    for (const status of [401, 403]) {
      const { http, clock } = client([json(status, { error: "Invalid API token.", status })]);
      const e = await failure(http.get("/instances"), clock);
      assert.ok(e instanceof ProviderHttpError);
      assert.equal(e.code, "PROVIDER_AUTH");
      assert.equal(e.status, status);
      assert.match(e.message, /check VULTR_API_KEY, its permissions, and the key's allowed IP list/);
    }
  });

  it("carries Vultr's error text, method and path on other 4xx", async () => {
    const { http, clock, fetch } = client([json(400, { error: "Unable to create firewall rule", status: 400 })]);
    const e = await failure(http.request("POST", "/firewalls/g1/rules", { body: {} }), clock);
    assert.ok(e instanceof ProviderHttpError);
    assert.deepEqual([e.code, e.status, e.method, e.path], ["PROVIDER_HTTP", 400, "POST", "/firewalls/g1/rules"]);
    assert.match(e.message, /"Unable to create firewall rule"/);
    assert.equal(fetch.calls.length, 1);
  });

  it("reports a body that is not JSON with its first 80 characters", async () => {
    const html = `<html><head><title>502</title></head><body>${"x".repeat(300)}</body></html>`;
    const { http, clock } = client([{ status: 200, body: html }]);
    const e = await failure(http.get("/instances"), clock);
    assert.equal(e.code, "PROVIDER_BAD_RESPONSE");
    assert.match(e.message, /GET \/instances: 200 with a body that is not JSON: "<html><head><title>502/);
    assert.ok(e.message.length < 200);
  });

  it("does not follow a redirect, so the key is never sent elsewhere", async () => {
    const { http, clock, fetch } = client([{ status: 301, headers: { location: "https://elsewhere.example/v2/instances" } }]);
    const e = await failure(http.get("/instances"), clock);
    assert.equal(e.code, "PROVIDER_BAD_RESPONSE");
    assert.match(e.message, /redirect 301 to "https:\/\/elsewhere\.example\/v2\/instances", not followed/);
    assert.equal(fetch.calls.length, 1);
  });

  it("refuses 30 requests per second for Vultr but lets a loopback simulator go faster", () => {
    const redactor = new Redactor();
    const clock = new TestClock();
    assert.throws(() => new VultrHttp({ apiKey: KEY, clock, redactor, maxRequestsPerSecond: 30 }), (e: unknown) => e instanceof AppError && e.code === "CONFIG_INVALID");
    assert.throws(() => new VultrHttp({ baseUrl: BASE, apiKey: KEY, clock, redactor, maxRequestsPerSecond: 45 }), /below 30/);
    assert.equal(new VultrHttp({ baseUrl: "http://127.0.0.1:4000/v2", apiKey: KEY, clock, redactor, maxRequestsPerSecond: 1000 }).pacer.intervalMs, 1);
    assert.equal(new VultrHttp({ baseUrl: "http://[::1]:4000/v2", apiKey: KEY, clock, redactor, maxRequestsPerSecond: 500 }).pacer.intervalMs, 2);
  });

  it("refuses a base URL with credentials and an empty key", () => {
    const redactor = new Redactor();
    const clock = new TestClock();
    assert.throws(() => new VultrHttp({ baseUrl: "https://u:p@api.vultr.com/v2", apiKey: KEY, clock, redactor }), /without credentials/);
    assert.throws(() => new VultrHttp({ apiKey: " ", clock, redactor }), (e: unknown) => e instanceof AppError && e.code === "SECRET_MISSING");
  });
});
