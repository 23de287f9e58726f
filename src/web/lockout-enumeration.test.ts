import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { loopbackClient, send, setCookie, type Reply } from "./burst.test-support.ts";
import { csrfOf, startTestDashboard } from "./harness.test-support.ts";

/**
 * Issue 12 item 10: the 423 lockout must not tell which user names exist. An unknown name is
 * throttled like an account: after 5 failures it is "locked" with the same page and status, and
 * from then on answered without any password hash, as a locked account is.
 */

type Attempt = (name: string, from: string) => Promise<Reply>;

function attempts(base: string): Attempt {
  return async (name, from) => {
    const login = await send(base, { path: "/login", from });
    return send(base, { path: "/login", form: { csrf: csrfOf(login.body), username: name, password: "wrong password!" }, cookies: { nw_login: setCookie(login, "nw_login")! }, from });
  };
}

/** What a client can compare: the status, the headers it got, and the page with the name and the fresh token taken out. */
function shape(r: Reply, name: string): string {
  const headers = Object.entries(r.headers).filter(([k]) => !["date", "content-length", "set-cookie"].includes(k)).sort();
  const page = r.body.replaceAll(name, "NAME").replace(/name="csrf" value="[^"]+"/g, 'name="csrf" value="TOKEN"');
  return JSON.stringify({ status: r.status, headers, cookies: String(r.headers["set-cookie"]).replace(/=[^;]+;/g, "=V;"), page });
}

describe("the lockout and user names", () => {
  it("answers a known and an unknown user name alike, attempt by attempt, locked or not", async () => {
    const t = await startTestDashboard();
    const attempt = attempts(t.url);
    const known: Reply[] = [];
    const unknown: Reply[] = [];
    for (let i = 0; i < 8; i++) {
      known.push(await attempt("alice", loopbackClient(0)));
      unknown.push(await attempt("mabel", loopbackClient(1)));
    }
    assert.deepEqual(known.map((r) => r.status), [401, 401, 401, 401, 423, 423, 423, 423]);
    assert.deepEqual(unknown.map((r) => r.status), known.map((r) => r.status), "the same statuses");
    assert.deepEqual(unknown.map((r) => shape(r, "mabel")), known.map((r) => shape(r, "alice")));
    assert.match(unknown[7]!.body, /locked until \d\d:\d\d UTC.*nodeward user unlock mabel/s);
    assert.equal((await t.store.events({ user: "alice", limit: 100 })).filter((e) => e.kind === "password-failed").length, 5, "no password checked once locked");
  });

  it("looks the same under a burst: a known and an unknown name get only the answers a known name gets one by one", async () => {
    const t = await startTestDashboard();
    await t.auth.addUser("bob", "another long password");
    const attempt = attempts(t.url);
    const reference = new Set<string>();
    for (let i = 0; i < 6; i++) reference.add(shape(await attempt("bob", loopbackClient(0)), "bob"));
    assert.equal(reference.size, 2, "the wrong-password page and the lock page");
    const known = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt("alice", loopbackClient(1 + i))));
    const unknown = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt("mabel", loopbackClient(41 + i))));
    for (const [name, replies] of [["alice", known], ["mabel", unknown]] as const) {
      for (const r of replies) assert.ok(reference.has(shape(r, name)), `${name}: ${r.status} is not an answer a known name gets`);
      assert.ok(replies.filter((r) => r.status === 401).length <= 4, `${name}: at most 4 wrong passwords before the lock`);
    }
  });

  it("locks an unknown name for the same 15 minutes", async () => {
    const t = await startTestDashboard();
    const attempt = attempts(t.url);
    for (let i = 0; i < 5; i++) await attempt("mabel", loopbackClient(0));
    t.clock.advance(15 * 60_000 - 1000);
    assert.equal((await attempt("mabel", loopbackClient(0))).status, 423);
    t.clock.advance(1000);
    assert.equal((await attempt("mabel", loopbackClient(0))).status, 401, "the lock has passed: a wrong password again");
  });
});
