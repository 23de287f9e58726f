import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { AuthEventKind, AuthStore } from "../auth/ports.ts";
import { totpCode } from "../auth/totp.ts";
import { openSqliteAuthStore } from "../store/sqlite/auth-store.ts";
import { tempDir } from "../store/temp-dir.test-support.ts";
import { loopbackClient, send, setCookie, type Reply, type Send } from "./burst.test-support.ts";
import { csrfOf, PASSWORD, startTestDashboard } from "./harness.test-support.ts";

/**
 * Issue 12 item 5: parallel sign-in must not beat the lockout. Bursts of real HTTP requests, each
 * on its own connection, against the dashboard on the watch server over a SQLite auth store,
 * from one client address and from many (127.0.0.2, 127.0.0.3, …). Every credential actually
 * checked leaves one audit event (password-ok/failed, totp-ok/failed/replay, backup-code-used/
 * failed); a refused attempt leaves none, so the audit trail counts the checks.
 */

const BURST = 100;
const MAX_FAILURES = 5;
const IP_MAX_FAILURES = 20;
const temp = tempDir();
let n = 0;

async function dashboard() {
  const store = openSqliteAuthStore(temp.file(`auth-${++n}.db`));
  const t = await startTestDashboard({ store });
  return { ...t, store: store as AuthStore & { close(): void } };
}

async function loginForm(base: string, from?: string): Promise<{ csrf: string; cookies: Record<string, string> }> {
  const r = await send(base, { path: "/login", ...(from === undefined ? {} : { from }) });
  return { csrf: csrfOf(r.body), cookies: { nw_login: setCookie(r, "nw_login")! } };
}

/** Signs in with the password only: the half-way session's cookie and its CSRF token. */
async function halfWay(base: string): Promise<{ csrf: string; cookies: Record<string, string> }> {
  const f = await loginForm(base);
  const r = await send(base, { path: "/login", form: { csrf: f.csrf, username: "alice", password: PASSWORD }, cookies: f.cookies });
  assert.equal(r.headers.location, "/login/code", r.body);
  const cookies = { nw_session: setCookie(r, "nw_session")! };
  return { csrf: csrfOf((await send(base, { path: "/login/code", cookies })).body), cookies };
}

/**
 * `BURST` requests at once; `late` is sent when the first of them is answered (the burst is
 * still in flight then), as one more request of the same burst.
 */
async function burst(base: string, make: (i: number) => Send, late: Send): Promise<{ replies: Reply[]; late: Reply }> {
  let answered!: () => void;
  const first = new Promise<void>((r) => (answered = r));
  const all = Array.from({ length: BURST }, (_, i) => send(base, make(i)).finally(() => answered()));
  await first;
  const lateReply = await send(base, late);
  return { replies: await Promise.all(all), late: lateReply };
}

async function checks(store: AuthStore, kinds: readonly AuthEventKind[], user?: string): Promise<number> {
  const events = await store.events({ limit: 10_000, ...(user === undefined ? {} : { user }) });
  return events.filter((e) => kinds.includes(e.kind)).length;
}

/** TOTP codes that are not valid now (nor one step either side). */
function wrongCodes(secret: string, at: number, count: number): string[] {
  const valid = new Set([-30_000, 0, 30_000].map((d) => totpCode(secret, at + d)));
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const c = String(100_000 + i * 7919).slice(-6);
    if (!valid.has(c)) out.push(c);
  }
  return out;
}

const WRONG_BACKUP = (i: number) => `wxyz-${String(i).padStart(4, "2").replace(/[01]/g, "k")}-abcd-efgh`;

describe("a burst of parallel sign-ins", () => {
  it("from one address: at most 5 wrong passwords are checked, the account locks, the right password in the burst is refused", async () => {
    const t = await dashboard();
    const f = await loginForm(t.url);
    const { replies, late } = await burst(
      t.url,
      (i) => ({ path: "/login", form: { csrf: f.csrf, username: "alice", password: `wrong password ${i}` }, cookies: f.cookies }),
      { path: "/login", form: { csrf: f.csrf, username: "alice", password: PASSWORD }, cookies: f.cookies },
    );
    assert.ok((await checks(t.store, ["password-failed"])) <= MAX_FAILURES, `checked ${await checks(t.store, ["password-failed"])} wrong passwords`);
    assert.equal(await checks(t.store, ["password-ok"]), 0);
    assert.equal(late.status, 423, "the right password, once the lock is taken");
    assert.match(late.body, /locked until \d\d:\d\d UTC/);
    assert.ok(replies.every((r) => r.status === 401 || r.status === 423), `statuses ${[...new Set(replies.map((r) => r.status))].join(", ")}`);
    assert.ok(((await t.store.getUser("alice"))?.lockedUntil ?? 0) > t.clock.now(), "locked afterwards");
  });

  it("from 100 addresses: the account limit holds all the same", async () => {
    const t = await dashboard();
    const f = await loginForm(t.url);
    const { late } = await burst(
      t.url,
      (i) => ({ path: "/login", form: { csrf: f.csrf, username: "alice", password: `wrong password ${i}` }, cookies: f.cookies, from: loopbackClient(i) }),
      { path: "/login", form: { csrf: f.csrf, username: "alice", password: PASSWORD }, cookies: f.cookies, from: loopbackClient(BURST) },
    );
    const failed = (await t.store.events({ user: "alice", limit: 10_000 })).filter((e) => e.kind === "password-failed");
    assert.ok(failed.length <= MAX_FAILURES, `checked ${failed.length} wrong passwords`);
    assert.equal(new Set(failed.map((e) => e.ip)).size, failed.length, "each from its own address");
    assert.ok(failed.every((e) => e.ip !== "127.0.0.1"));
    assert.equal(late.status, 423);
    assert.ok(((await t.store.getUser("alice"))?.lockedUntil ?? 0) > t.clock.now());
  });

  it("against 30 accounts from one address: at most 20 passwords are checked, then the address waits, other addresses do not", async () => {
    const t = await dashboard();
    const hash = (await t.store.getUser("alice"))!.passwordHash;
    const users = Array.from({ length: 30 }, (_, i) => `user${i}`);
    for (const u of users) await t.store.createUser({ name: u, passwordHash: hash, createdAt: t.clock.now(), totpSecret: null, totpEnrolledAt: null, totpLastStep: null, pendingTotpSecret: null, failedAttempts: 0, lockedUntil: null });
    const from = loopbackClient(0);
    const f = await loginForm(t.url, from);
    const { replies, late } = await burst(
      t.url,
      (i) => ({ path: "/login", form: { csrf: f.csrf, username: users[i % users.length]!, password: `wrong password ${i}` }, cookies: f.cookies, from }),
      { path: "/login", form: { csrf: f.csrf, username: "alice", password: PASSWORD }, cookies: f.cookies, from },
    );
    const checked = await checks(t.store, ["password-failed", "password-ok"]);
    assert.ok(checked <= IP_MAX_FAILURES, `checked ${checked} passwords from one address`);
    assert.equal(late.status, 429, "the address waits, even with the right password");
    assert.match(late.body, /Too many failed sign-in attempts from 127\.0\.0\.2/);
    assert.ok(replies.every((r) => r.status === 401 || r.status === 429));
    assert.deepEqual((await t.store.listUsers()).filter((u) => u.lockedUntil !== null).map((u) => u.name), [], "no account reached its own limit");
    const other = await loginForm(t.url, loopbackClient(1));
    const ok = await send(t.url, { path: "/login", form: { csrf: other.csrf, username: "alice", password: PASSWORD }, cookies: other.cookies, from: loopbackClient(1) });
    assert.equal(ok.headers.location, "/login/code", "another address signs in");
  });

  it("at the code step, from one address: at most 5 wrong TOTP codes are checked, and the right code in the burst is refused", async () => {
    const t = await dashboard();
    const h = await halfWay(t.url);
    const wrong = wrongCodes(t.secret, t.clock.now(), BURST);
    const { late } = await burst(
      t.url,
      (i) => ({ path: "/login/code", form: { csrf: h.csrf, code: wrong[i]! }, cookies: h.cookies }),
      { path: "/login/code", form: { csrf: h.csrf, code: totpCode(t.secret, t.clock.now()) }, cookies: h.cookies },
    );
    assert.ok((await checks(t.store, ["totp-failed", "totp-replay"])) <= MAX_FAILURES, `checked ${await checks(t.store, ["totp-failed", "totp-replay"])} wrong codes`);
    assert.equal(await checks(t.store, ["totp-ok"]), 0);
    assert.notEqual(late.headers.location, "/", "no full session");
    assert.ok(late.status === 423 || late.headers.location === "/login?expired", `refused: ${late.status} ${late.headers.location ?? ""}`);
    assert.ok(((await t.store.getUser("alice"))?.lockedUntil ?? 0) > t.clock.now());
  });

  it("at the code step, from 100 addresses, mixing TOTP and backup-code guesses: at most 5 are checked", async () => {
    const t = await dashboard();
    const h = await halfWay(t.url);
    const wrong = wrongCodes(t.secret, t.clock.now(), BURST);
    const { late } = await burst(
      t.url,
      (i) => ({ path: "/login/code", form: { csrf: h.csrf, code: i % 2 === 0 ? wrong[i]! : WRONG_BACKUP(i) }, cookies: h.cookies, from: loopbackClient(i) }),
      { path: "/login/code", form: { csrf: h.csrf, code: t.backupCodes[0]! }, cookies: h.cookies, from: loopbackClient(BURST) },
    );
    const checked = await checks(t.store, ["totp-failed", "totp-replay", "backup-code-failed"]);
    assert.ok(checked <= MAX_FAILURES, `checked ${checked} wrong codes`);
    assert.equal(await checks(t.store, ["totp-ok", "backup-code-used"]), 0);
    assert.ok(!(late.status === 303 && late.headers.location?.startsWith("/settings") === true), "the right backup code, once the lock is taken, is refused too");
    assert.equal(t.backupUses.length, 0);
    assert.ok(((await t.store.getUser("alice"))?.lockedUntil ?? 0) > t.clock.now());
  });

  it("one backup code sent 100 times at once signs in once", async () => {
    const t = await dashboard();
    const sessions = await Promise.all(Array.from({ length: 4 }, () => halfWay(t.url)));
    const code = t.backupCodes[2]!;
    const { replies, late } = await burst(
      t.url,
      (i) => ({ path: "/login/code", form: { csrf: sessions[i % 4]!.csrf, code }, cookies: sessions[i % 4]!.cookies, from: loopbackClient(i % 7) }),
      { path: "/login/code", form: { csrf: sessions[0]!.csrf, code }, cookies: sessions[0]!.cookies },
    );
    const signedIn = [...replies, late].filter((r) => r.status === 303 && r.headers.location?.startsWith("/settings?backup-used="));
    assert.equal(signedIn.length, 1, "exactly one sign-in");
    assert.equal(signedIn[0]?.headers.location, "/settings?backup-used=9");
    assert.equal(await checks(t.store, ["backup-code-used"]), 1);
    assert.equal(t.backupUses.length, 1, "one alert");
    assert.equal((await t.store.backupCodes("alice")).filter((c) => c.usedAt !== null).length, 1);
  });
});
