import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { totpCode } from "../auth/totp.ts";
import { send, sendWithoutHost, setCookie } from "./burst.test-support.ts";
import { csrfOf, PASSWORD, startTestDashboard } from "./harness.test-support.ts";

/**
 * Issue 12 item 10: DNS rebinding. A page on evil.example whose name is re-pointed at 127.0.0.1
 * (the far end of an `ssh -L` tunnel) reaches the dashboard as same-origin: the browser then
 * sends `Host: evil.example`. Every route on watch.listen answers only for the hosts it serves.
 */

const ROUTES: readonly { method: "GET" | "POST"; path: string }[] = [
  ...["/login", "/login/code", "/enroll", "/enroll/qr.svg", "/", "/nodes/n1", "/incidents", "/settings", "/settings/qr.svg", "/static/dashboard.css", "/healthz", "/metrics", "/nowhere"].map((path) => ({ method: "GET" as const, path })),
  ...["/login", "/login/code", "/enroll", "/logout", "/settings/totp", "/settings/totp/confirm", "/settings/backup-codes"].map((path) => ({ method: "POST" as const, path })),
];

const HOSTILE = ["evil.example", "evil.example:9797", "127.0.0.1.evil.example", "localhost.evil.example:9797", "127.0.0.1:9797@evil.example", "", "nodes.example.evil.example"];

async function fullSession(url: string, secret: string, at: number): Promise<Record<string, string>> {
  const login = await send(url, { path: "/login" });
  const r1 = await send(url, { path: "/login", form: { csrf: csrfOf(login.body), username: "alice", password: PASSWORD }, cookies: { nw_login: setCookie(login, "nw_login")! } });
  const half = { nw_session: setCookie(r1, "nw_session")! };
  const page = await send(url, { path: "/login/code", cookies: half });
  const r2 = await send(url, { path: "/login/code", form: { csrf: csrfOf(page.body), code: totpCode(secret, at) }, cookies: half });
  assert.equal(r2.headers.location, "/");
  return { nw_session: setCookie(r2, "nw_session")! };
}

describe("the Host header", () => {
  it("refuses every route, signed in or not, for a host the server does not serve (421)", async () => {
    const t = await startTestDashboard({ allowedHosts: ["nodes.example"] });
    const cookies = await fullSession(t.url, t.secret, t.clock.now());
    assert.equal((await send(t.url, { path: "/", cookies })).status, 200, "the session works under the right host");
    for (const host of HOSTILE) {
      for (const r of ROUTES) {
        const reply = await send(t.url, { method: r.method, path: r.path, host, cookies, ...(r.method === "POST" ? { form: { csrf: "x" } } : {}) });
        assert.equal(reply.status, 421, `${r.method} ${r.path} with Host ${JSON.stringify(host)}`);
        assert.match(reply.body, /^Refused: this server does not answer for Host .*watch\.allowedHosts/s);
        assert.equal(reply.headers["content-type"], "text/plain; charset=utf-8");
      }
    }
  });

  it("refuses a request without a Host header", async () => {
    const t = await startTestDashboard();
    for (const path of ["/login", "/healthz", "/metrics"]) {
      assert.equal((await sendWithoutHost(t.url, path)).status, 421, `HTTP/1.0 ${path}`);
      assert.equal((await send(t.url, { path, host: null })).status, 400, `HTTP/1.1 ${path}: Node refuses it itself`);
    }
  });

  it("answers for the listen address, localhost and [::1] on any port (an ssh -L tunnel may use another), any IP literal, and the configured hosts", async () => {
    const t = await startTestDashboard({ allowedHosts: ["nodes.example", "Watch.Example.ORG"] });
    const port = new URL(t.url).port;
    const good = [`127.0.0.1:${port}`, "127.0.0.1", `localhost:${port}`, "localhost:8080", "LOCALHOST", `[::1]:${port}`, "203.0.113.9:9797", "[2001:db8::1]:9797", "nodes.example", "nodes.example:443", "watch.example.org", "nodes.example."];
    for (const host of good) {
      assert.equal((await send(t.url, { path: "/login", host })).status, 200, `Host ${host}`);
      assert.equal((await send(t.url, { path: "/healthz", host })).status, 200, `Host ${host}: /healthz`);
    }
  });

  it("behind a trusted proxy also refuses a forwarded host it does not serve", async () => {
    const t = await startTestDashboard({ config: { trustProxy: true }, allowedHosts: ["nodes.example"] });
    assert.equal((await send(t.url, { path: "/login", headers: { "x-forwarded-host": "evil.example" } })).status, 421);
    assert.equal((await send(t.url, { path: "/login", headers: { "x-forwarded-host": "nodes.example" } })).status, 200);
    assert.equal((await send(t.url, { path: "/login" })).status, 200, "no X-Forwarded-Host: the Host header decides");
  });
});
