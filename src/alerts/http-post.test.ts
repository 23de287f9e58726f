import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { postJson, retryAfterHeader } from "./http-post.ts";
import { channelDeps, noAbort, T0 } from "./testing/fixtures.ts";
import { startReceiver, type Receiver } from "./testing/http-receiver.ts";

const TOKEN = "tok_5d8e2a9c7b1f4e6a3c0d";

describe("postJson", () => {
  let rx: Receiver;
  beforeEach(async () => {
    rx = await startReceiver({ status: 200 });
  });
  afterEach(async () => {
    await rx.close();
  });

  const post = (signal: AbortSignal = noAbort()) => {
    const deps = channelDeps();
    deps.redactor.add(TOKEN);
    return postJson(deps, { service: "Chat", url: `${rx.origin}/hook/${TOKEN}`, body: "{}" }, signal);
  };

  const cases: { name: string; reply: Parameters<Receiver["replies"]["push"]>[0]; retryable: boolean; error: RegExp; retryAfterMs?: number }[] = [
    { name: "a 400 is final", reply: { status: 400, body: "bad payload" }, retryable: false, error: /^Chat answered HTTP 400: bad payload$/ },
    { name: "a 403 is final", reply: { status: 403 }, retryable: false, error: /^Chat answered HTTP 403$/ },
    { name: "a 408 is retried", reply: { status: 408 }, retryable: true, error: /HTTP 408/ },
    { name: "a 429 is retried after Retry-After seconds", reply: { status: 429, headers: { "retry-after": "12" } }, retryable: true, error: /HTTP 429/, retryAfterMs: 12_000 },
    { name: "a 503 is retried", reply: { status: 503, body: "<html>\n  down for maintenance\n</html>" }, retryable: true, error: /^Chat answered HTTP 503: <html> down for maintenance <\/html>$/ },
    { name: "a reset connection is retried", reply: "reset", retryable: true, error: /^Chat: unreachable \(/ },
  ];
  for (const c of cases) {
    it(`${c.name}`, async () => {
      rx.replies.push(c.reply);
      const r = await post();
      assert.ok(!r.ok, JSON.stringify(r));
      assert.equal(r.retryable, c.retryable);
      assert.match(r.error, c.error);
      assert.equal(r.retryAfterMs, c.retryAfterMs);
    });
  }

  it("retries when the service does not answer before the send timeout", async () => {
    rx.replies.push("hang");
    const r = await post(AbortSignal.timeout(100));
    assert.deepEqual(r, { ok: false, retryable: true, error: "Chat: no answer within the send timeout" });
  });

  it("keeps the token out of long error bodies and cuts them short", async () => {
    rx.replies.push({ status: 400, body: `${TOKEN} ${"x".repeat(1000)}` });
    const r = await post();
    assert.ok(!r.ok && !r.error.includes(TOKEN) && r.error.length < 360, JSON.stringify(r));
  });

  it("gives up at once, without sending, on a header HTTP cannot carry (it would fail the same way forever)", async () => {
    for (const value of ["узел-1", "a\r\nX-Injected: yes", "a\u0000b", "é"]) {
      const r = await postJson(channelDeps(), { service: "Chat", url: `${rx.origin}/hook`, body: "{}", headers: { "x-id": value } }, noAbort());
      assert.deepEqual(r, { ok: false, retryable: false, error: "Chat: the x-id header holds characters HTTP cannot send; this is a bug in nodeward, please report it" }, JSON.stringify(value));
    }
    assert.equal(rx.requests.length, 0);
  });

  it("gives up at once when fetch refuses to build the request, and names only the error's code", async () => {
    const r = await postJson(channelDeps(), { service: "Chat", url: "http://[not-a-host/hook", body: "{}" }, noAbort());
    assert.deepEqual(r, { ok: false, retryable: false, error: "Chat: the request could not be built (ERR_INVALID_URL); this is a bug in nodeward, please report it" });
  });

  it("sends JSON with a user agent", async () => {
    assert.deepEqual(await post(), { ok: true });
    assert.equal(rx.requests[0]!.headers["content-type"], "application/json");
    assert.equal(rx.requests[0]!.headers["user-agent"], "nodeward");
  });
});

describe("retryAfterHeader", () => {
  it("reads delay-seconds, an HTTP date, and ignores garbage", () => {
    assert.equal(retryAfterHeader("2.5", T0), 2500);
    assert.equal(retryAfterHeader(new Date(T0 + 90_000).toUTCString(), T0), 90_000);
    assert.equal(retryAfterHeader("soon", T0), undefined);
    assert.equal(retryAfterHeader(null, T0), undefined);
  });
});
