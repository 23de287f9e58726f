import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { totpCode } from "../auth/totp.ts";
import type { NetviewDetail } from "../netview/detail.ts";
import { netviewRecord } from "../store/contracts/samples.ts";
import { checkHtml } from "../../test/helpers/html-wellformed.ts";
import { Browser, csrfOf, PASSWORD, startTestDashboard } from "./harness.test-support.ts";

async function signIn(url: string, secret: string, at: number): Promise<Browser> {
  const b = new Browser(url);
  const login = await (await b.get("/login")).text();
  const r1 = await b.post("/login", { csrf: csrfOf(login), username: "alice", password: PASSWORD });
  assert.equal(r1.headers.get("location"), "/login/code");
  const page = await (await b.get("/login/code")).text();
  const r2 = await b.post("/login/code", { csrf: csrfOf(page), code: totpCode(secret, at) });
  assert.equal(r2.status, 303);
  assert.equal(r2.headers.get("location"), "/");
  return b;
}

describe("the dashboard", () => {
  it("sends the security headers and a no-store cache policy", async () => {
    const t = await startTestDashboard();
    const res = await fetch(`${t.url}/login`);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("cache-control"), "no-store");
    const body = await res.text();
    assert.doesNotMatch(body, /<script(?![^>]*\ssrc=)/, "no inline script");
    assert.doesNotMatch(body, /\sstyle=|<style/, "no inline style");
  });

  it("sends everyone without a session to the sign-in page, and leaves other paths to the server", async () => {
    const t = await startTestDashboard();
    for (const path of ["/", "/incidents", "/settings", "/nodes/x"]) {
      const res = await fetch(t.url + path, { redirect: "manual" });
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get("location"), "/login");
    }
    assert.match((await fetch(`${t.url}/metrics`)).headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/, "the server's /metrics");
    assert.deepEqual(await (await fetch(`${t.url}/healthz`)).json(), { status: "ok" });
    assert.equal((await fetch(`${t.url}/static/uplot.iife.min.js`)).status, 200);
    assert.equal((await fetch(`${t.url}/static/../package.json`)).status, 404);
  });

  it("signs in with password and TOTP, with an HttpOnly SameSite=Strict session cookie, and signs out", async () => {
    const t = await startTestDashboard();
    const b = new Browser(t.url);
    const login = await b.get("/login");
    const r1 = await b.post("/login", { csrf: csrfOf(await login.text()), username: "alice", password: PASSWORD });
    const cookie = r1.headers.getSetCookie().find((c) => c.startsWith("nw_session="))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.doesNotMatch(cookie, /Secure/, "plain HTTP on loopback");
    assert.equal((await b.get("/")).status, 303, "half-way is not signed in");
    const page = await (await b.get("/login/code")).text();
    const r2 = await b.post("/login/code", { csrf: csrfOf(page), code: totpCode(t.secret, t.clock.now()) });
    assert.equal(r2.headers.get("location"), "/");
    assert.notEqual(b.jar.get("nw_session"), cookie.split(";")[0]!.split("=")[1], "the session id changes at sign-in");
    const fleet = await b.get("/");
    assert.equal(fleet.status, 200);
    const out = await b.post("/logout", { csrf: csrfOf(await fleet.text()) });
    assert.equal(out.headers.get("location"), "/login?signed-out");
    assert.equal((await b.get("/")).status, 303);
  });

  it("marks the cookie Secure behind a trusted TLS proxy", async () => {
    const t = await startTestDashboard({ config: { trustProxy: true } });
    const b = new Browser(t.url);
    const login = await (await b.get("/login")).text();
    const r = await b.post("/login", { csrf: csrfOf(login), username: "alice", password: PASSWORD }, { "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.3" });
    assert.match(r.headers.getSetCookie().find((c) => c.startsWith("nw_session="))!, /; Secure/);
    assert.equal((await t.store.events({ user: "alice", limit: 1 }))[0]?.ip, "198.51.100.3");
  });

  it("refuses a POST without the right CSRF token, or from another site", async () => {
    const t = await startTestDashboard();
    const b = await signIn(t.url, t.secret, t.clock.now());
    const csrf = csrfOf(await (await b.get("/settings")).text());
    assert.equal((await b.post("/logout", {})).status, 403);
    assert.equal((await b.post("/logout", { csrf: "x".repeat(43) })).status, 403);
    assert.equal((await b.post("/logout", { csrf }, { origin: "https://evil.example" })).status, 403);
    assert.equal((await b.post("/logout", { csrf }, { "sec-fetch-site": "cross-site" })).status, 403);
    assert.equal((await b.get("/")).status, 200, "still signed in");
    const fresh = new Browser(t.url);
    await fresh.get("/login");
    assert.equal((await fresh.post("/login", { csrf: "forged", username: "alice", password: PASSWORD })).status, 403, "sign-in form too");
  });

  it("behind a trusted proxy compares Origin with X-Forwarded-Host, since Host may be the upstream's", async () => {
    const t = await startTestDashboard({ config: { trustProxy: true }, allowedHosts: ["nodes.example", "other.example"] });
    const b = await signIn(t.url, t.secret, t.clock.now());
    const csrf = csrfOf(await (await b.get("/settings")).text());
    assert.equal((await b.post("/logout", { csrf }, { origin: "https://nodes.example", "x-forwarded-host": "other.example" })).status, 403);
    assert.equal((await b.post("/logout", { csrf }, { origin: "https://nodes.example", "x-forwarded-host": "nodes.example" })).status, 303);
  });

  it("ends a session after the idle time and at the absolute limit", async () => {
    const t = await startTestDashboard({ config: { sessionIdleMinutes: 30, sessionMaxHours: 1 } });
    const b = await signIn(t.url, t.secret, t.clock.now());
    t.clock.advance(31 * 60_000);
    const r = await b.get("/");
    assert.equal(r.status, 303);
    assert.equal(r.headers.get("location"), "/login?expired");
    t.clock.advance(60_000);
    const c = await signIn(t.url, t.secret, t.clock.now());
    for (let i = 0; i < 3; i++) {
      t.clock.advance(20 * 60_000);
      assert.equal((await c.get("/")).status, i < 2 ? 200 : 303, `after ${(i + 1) * 20} min`);
    }
  });

  it("refuses a wrong code, a replayed one, and throttles the address", async () => {
    const t = await startTestDashboard();
    const code = totpCode(t.secret, t.clock.now());
    await signIn(t.url, t.secret, t.clock.now());
    const b = new Browser(t.url);
    await b.post("/login", { csrf: csrfOf(await (await b.get("/login")).text()), username: "alice", password: PASSWORD });
    const page = await (await b.get("/login/code")).text();
    const replay = await b.post("/login/code", { csrf: csrfOf(page), code });
    assert.equal(replay.status, 401);
    assert.match(await replay.text(), /already used/);
    const wrong = await b.post("/login/code", { csrf: csrfOf(page), code: "000000" });
    assert.match(await wrong.text(), /not valid/);
    for (let i = 0; i < 25; i++) {
      const l = new Browser(t.url);
      await l.post("/login", { csrf: csrfOf(await (await l.get("/login")).text()), username: `nobody${i}`, password: "wrong wrong wrong" });
    }
    const l = new Browser(t.url);
    const blocked = await l.post("/login", { csrf: csrfOf(await (await l.get("/login")).text()), username: "alice", password: PASSWORD });
    assert.equal(blocked.status, 429);
    assert.match(await blocked.text(), /Too many failed sign-in attempts from 127\.0\.0\.1/);
  });

  it("says how to unlock a locked account", async () => {
    const t = await startTestDashboard();
    const b = new Browser(t.url);
    let last = "";
    for (let i = 0; i < 5; i++) {
      const r = await b.post("/login", { csrf: csrfOf(await (await b.get("/login")).text()), username: "alice", password: "wrong password!" });
      last = await r.text();
    }
    assert.match(last, /locked until \d\d:\d\d UTC.*nodeward user unlock alice/s);
  });

  it("locks at the code step too, ending the half-way session with the unlock hint", async () => {
    const t = await startTestDashboard();
    const b = new Browser(t.url);
    await b.post("/login", { csrf: csrfOf(await (await b.get("/login")).text()), username: "alice", password: PASSWORD });
    let r: Response | undefined;
    for (let i = 0; i < 5; i++) r = await b.post("/login/code", { csrf: csrfOf(await (await b.get("/login/code")).text()), code: "000000" });
    assert.equal(r?.status, 423);
    const body = await r!.text();
    assert.match(body, /nodeward user unlock alice/);
    assert.equal(b.jar.has("nw_session"), false);
    assert.equal((await b.post("/login", { csrf: csrfOf(body), username: "alice", password: PASSWORD })).status, 423, "the fresh form works, and says locked");
  });

  it("escapes what it shows: a node name cannot inject markup", async () => {
    const t = await startTestDashboard({ nodes: [{ nodeId: "n1", name: `<img src=x onerror="alert(1)">`, address: "203.0.113.5" }] });
    const b = await signIn(t.url, t.secret, t.clock.now());
    const body = await (await b.get("/")).text();
    assert.ok(!body.includes("<img src=x"));
    assert.ok(body.includes("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"));
  });

  it("shows a hostile provider label inert on the fleet and node pages: no markup, no raw control, bidi override visible", async () => {
    const name = `evil\u001b]0;PWNED\u0007\u001b[2J\u001b[31mRED\r\n<script>alert(1)</script>\u202egnp.exe "x' узел 🚀`;
    const t = await startTestDashboard({ nodes: [{ nodeId: "n1", name, address: "203.0.113.5" }] });
    const b = await signIn(t.url, t.secret, t.clock.now());
    for (const path of ["/", "/nodes/n1"]) {
      const body = await (await b.get(path)).text();
      assert.equal(body.includes("<script>alert(1)"), false, path);
      assert.ok(body.includes("&lt;script&gt;alert(1)&lt;/script&gt;"), path);
      // eslint-disable-next-line no-control-regex -- finding controls is the test
      const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.exec(body);
      assert.ok(raw === null, `${path}: raw U+${raw?.[0].codePointAt(0)?.toString(16).padStart(4, "0")}`);
      assert.ok(body.includes(String.raw`evil\e]0;PWNED\a\e[2J\e[31mRED\r\n&lt;script&gt;`), `${path}: controls shown as in the terminal`);
      assert.ok(body.includes(String.raw`\u202egnp.exe &quot;x&#39; узел 🚀`), path);
    }
  });

  it("shows the network's view: a Network column coloured by condition, the node page's section, peers' text and aliases inert", async () => {
    const HOSTILE = `evil\u001b]0;PWNED\u0007\r\n<script>alert(1)</script>\u202egnp.exe "x' узел 🚀`;
    const BIG = "A".repeat(10_240);
    const outpoint = (n: number) => `${String(n).repeat(64)}-0`;
    const nodes = [1, 2, 3, 4].map((n) => ({ nodeId: `n${n}`, name: `sn-${n}`, address: `203.0.113.${n}` }));
    const t = await startTestDashboard({ nodes, network: { intervalSeconds: 300, aliasOf: (o) => (o === outpoint(1) ? `mn-${HOSTILE}` : undefined) } });
    const now = t.clock.now();
    const detail: NetviewDetail = {
      peers: [
        { peer: "198.51.100.4:9678", answer: "listed", state: "ENABLED", lastPingAt: now - 7 * 60_000 },
        { peer: "198.51.100.9:9678", answer: "listed", state: "EXPIRED", lastPingAt: now - 70 * 60_000 },
        { peer: `peer-${HOSTILE}`, answer: "malformed", detail: `bad mnb: ${HOSTILE}` },
        { peer: "198.51.100.12:9678", answer: "unreachable", detail: BIG },
      ],
      problems: [`the announce names ${HOSTILE}, not 203.0.113.1:9678`],
      disagreement: true,
      announced: { addr: `addr-${HOSTILE}`, protocolVersion: 90034, at: now - 30 * 3_600_000 },
    };
    await t.stores.netview.saveNetview([
      netviewRecord("n1", { outpoint: outpoint(1), askedAt: now - 60_000, lastPingAt: now - 7 * 60_000, conditionSince: now - 3_600_000, detail: JSON.stringify(detail) }),
      netviewRecord("n2", { outpoint: outpoint(2), state: "EXPIRED", condition: "expired", askedAt: now - 60_000, lastPingAt: now - 80 * 60_000, conditionSince: now - 15 * 60_000, detail: "{not the detail" }),
      netviewRecord("n3", { outpoint: outpoint(3), askedAt: now - 40 * 60_000, lastPingAt: now - 45 * 60_000, conditionSince: now - 3_600_000 }),
    ]);
    const b = await signIn(t.url, t.secret, now);
    const check = (path: string, body: string) => {
      assert.deepEqual(checkHtml(body).problems, [], path);
      assert.equal(body.includes("<script>alert(1)"), false, path);
      // eslint-disable-next-line no-control-regex -- finding controls is the test
      const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.exec(body);
      assert.ok(raw === null, `${path}: raw U+${raw?.[0].codePointAt(0)?.toString(16).padStart(4, "0")}`);
    };

    const fleet = await (await b.get("/")).text();
    check("/", fleet);
    assert.match(fleet, /<th title="[^"]+">Network<\/th><th>Firewall<\/th>/);
    const row = (name: string) => /^<tr data-node="[^"]+">[\s\S]*?<\/tr>/.exec(fleet.slice(fleet.indexOf(`<tr data-node="${name}"`)))?.[0] ?? "";
    assert.match(row("sn-1"), /<td><span class="net net-ok" title="ok">ENABLED<\/span> <span class="muted">58 min<\/span><\/td>/);
    assert.match(row("sn-2"), /<span class="net net-expired" title="expired in the network">EXPIRED<\/span> <span class="muted">past EXPIRED<\/span>/);
    assert.match(row("sn-3"), /net-ok[^<]*>ENABLED<\/span> <span class="muted">20 min<\/span> <span class="stale" title="asked 40 min ago">stale<\/span>/);
    assert.match(row("sn-4"), /<td>—<\/td><td>not at the provider<\/td>/, "no row: a dash");

    const n1 = await (await b.get("/nodes/n1")).text();
    check("/nodes/n1", n1);
    const text = checkHtml(n1).text;
    assert.match(text, /The network's view\s+ENABLED \(2 of 4 peers asked list it\) · alias mn-evil\\e\]0;PWNED\\a\\r\\n<script>alert\(1\)<\/script>\\u202egnp\.exe "x' узел 🚀 · collateral 1{64}-0/);
    assert.match(text, /Last ping 7 min ago \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\) · 58 min before EXPIRED as the network counts it\s+· ok since .* · asked 60 s ago/);
    assert.match(text, /Announced address addr-evil\\e\]0;PWNED.*узел 🚀, protocol 90034, started 30 h ago/);
    assert.match(text, /The peers do not agree/);
    assert.ok(text.includes(`the announce names evil\\e]0;PWNED\\a\\r\\n<script>alert(1)</script>\\u202egnp.exe "x' узел 🚀, not 203.0.113.1:9678`), "the problem, as text");
    assert.ok(text.includes(`peer-evil\\e]0;PWNED`) && text.includes(`malformed: bad mnb: evil`), "each peer's answer");
    assert.ok(text.includes(`unreachable: ${BIG}`), "10 KB shown whole, escaped");
    assert.match(text, /198\.51\.100\.9:9678EXPIRED70 min ago/);

    const n2 = await (await b.get("/nodes/n2")).text();
    check("/nodes/n2", n2);
    assert.match(n2, /<span class="net net-expired"[^>]*>EXPIRED<\/span>/);
    assert.match(n2, /<span class="urgent">past EXPIRED<\/span> as the network counts it/);
    assert.match(n2, /The peers' answers in this row are unreadable/);
    const n3 = await (await b.get("/nodes/n3")).text();
    assert.match(n3, /what the network said 40 min ago: the watcher has not asked since\. Is <code>nodeward watch<\/code> running\?/);
    assert.doesNotMatch(await (await b.get("/nodes/n4")).text(), /The network&#39;s view|The network's view/, "nothing asked, no section");
  });
});
