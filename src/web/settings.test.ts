import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { totpCode } from "../auth/totp.ts";
import { Browser, csrfOf, PASSWORD, startTestDashboard } from "./harness.test-support.ts";

async function passwordStep(b: Browser, user: string): Promise<Response> {
  return b.post("/login", { csrf: csrfOf(await (await b.get("/login")).text()), username: user, password: PASSWORD });
}

const secretOf = (page: string) => /class="secret">([A-Z2-7 ]+)</.exec(page)![1]!.replaceAll(" ", "");

describe("the dashboard's second factor", () => {
  it("accepts a backup code once, alerts its use, and refuses it the second time", async () => {
    const t = await startTestDashboard();
    const b = new Browser(t.url);
    await passwordStep(b, "alice");
    const page = await (await b.get("/login/code")).text();
    const ok = await b.post("/login/code", { csrf: csrfOf(page), code: t.backupCodes[0]! });
    assert.equal(ok.headers.get("location"), "/settings?backup-used=9");
    assert.match(await (await b.get("/settings?backup-used=9")).text(), /signed in with a backup code; 9 unused codes left/);
    assert.deepEqual(t.backupUses.map((u) => [u.user, u.remaining]), [["alice", 9]]);
    const again = new Browser(t.url);
    await passwordStep(again, "alice");
    const refused = await again.post("/login/code", { csrf: csrfOf(await (await again.get("/login/code")).text()), code: t.backupCodes[0]! });
    assert.equal(refused.status, 401);
  });

  it("makes a user without an authenticator enroll first, with the QR as an SVG image, then shows backup codes once", async () => {
    const t = await startTestDashboard();
    await t.auth.addUser("bob", PASSWORD);
    const b = new Browser(t.url);
    assert.equal((await passwordStep(b, "bob")).headers.get("location"), "/enroll");
    assert.equal((await b.get("/")).status, 303, "not signed in before enrolling");
    const page = await (await b.get("/enroll")).text();
    assert.match(page, /<img class="qr" src="\/enroll\/qr.svg"/);
    const qr = await b.get("/enroll/qr.svg");
    assert.equal(qr.headers.get("content-type"), "image/svg+xml");
    assert.match(await qr.text(), /^<svg/);
    const secret = secretOf(page);
    assert.equal((await b.post("/enroll", { csrf: csrfOf(page), code: "123456" })).status, 401);
    const done = await b.post("/enroll", { csrf: csrfOf(page), code: totpCode(secret, t.clock.now()) });
    const body = await done.text();
    assert.match(body, /Print these backup codes now/);
    assert.equal([...body.matchAll(/<li>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})<\/li>/g)].length, 10);
    assert.equal((await b.get("/")).status, 200);
    assert.equal((await t.auth.listUsers()).find((u) => u.name === "bob")?.totpEnrolled, true);
  });

  it("replaces the authenticator from settings only after the new one's code, and regenerates backup codes after a current code", async () => {
    const t = await startTestDashboard();
    const b = new Browser(t.url);
    await passwordStep(b, "alice");
    await b.post("/login/code", { csrf: csrfOf(await (await b.get("/login/code")).text()), code: totpCode(t.secret, t.clock.now()) });
    const settings = await (await b.get("/settings")).text();
    const started = await (await b.post("/settings/totp", { csrf: csrfOf(settings) })).text();
    assert.match(started, /src="\/settings\/qr.svg"/);
    const fresh = secretOf(started);
    t.clock.advance(30_000);
    assert.equal((await b.post("/settings/totp/confirm", { csrf: csrfOf(started), code: totpCode(t.secret, t.clock.now()) })).status, 401, "the old app's code does not activate the new one");
    const ok = await b.post("/settings/totp/confirm", { csrf: csrfOf(started), code: totpCode(fresh, t.clock.now()) });
    assert.match(await ok.text(), /new authenticator is active/);
    t.clock.advance(30_000);
    const regen = await b.post("/settings/backup-codes", { csrf: csrfOf(settings), code: totpCode(fresh, t.clock.now()) });
    assert.match(await regen.text(), /Print these backup codes now/);
    const oldCode = new Browser(t.url);
    await passwordStep(oldCode, "alice");
    assert.equal((await oldCode.post("/login/code", { csrf: csrfOf(await (await oldCode.get("/login/code")).text()), code: t.backupCodes[1]! })).status, 401, "old codes died");
  });
});
