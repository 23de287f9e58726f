import { checkedAndFailed, type Refusal } from "../auth/service.ts";
import { lockMessage, type IpSlot } from "../auth/throttle.ts";
import { randomToken } from "../auth/sessions.ts";
import type { SessionStage } from "../auth/ports.ts";
import { page } from "./layout.ts";
import { html } from "./html.ts";
import type { Ctx } from "./context.ts";
import { redirect, sendHtml, sendText } from "./respond.ts";
import { backupCodesPanel, codePage, enrolPage, passwordPage } from "./pages/sign-in.ts";
import { qrSvg } from "../auth/qr.ts";

/** Sign-in: password → code (or first-time enrolment) → a full session; and sign-out. */

const hhmm = (at: number) => new Date(at).toISOString().slice(11, 16);

export function forbidden(c: Ctx): void {
  sendText(c.res, 403, "Refused: the form's security token is missing or stale. Reload the page and try again.\n");
}

/**
 * Per-address throttle, reserve then settle: a slot is taken before the credential is checked,
 * so parallel requests from one address get no more checks than its limit. Null (and answered
 * 429) when this address must wait.
 */
export function addressSlot(c: Ctx): IpSlot | null {
  const slot = c.d.ipThrottle.reserve(c.ip);
  if (slot !== null) return slot;
  const until = c.d.ipThrottle.blockedUntil(c.ip) ?? c.d.clock.now();
  sendText(c.res, 429, `Too many failed sign-in attempts from ${c.ip}: try again after ${hhmm(until)} UTC.\n`, { "retry-after": String(Math.max(1, Math.ceil((until - c.d.clock.now()) / 1000))) });
  return null;
}

/** The slot stays counted only when a wrong credential was checked. */
export function settleAddress(c: Ctx, slot: IpSlot, r: { ok: true } | Refusal): void {
  if (r.ok || !checkedAndFailed(r)) c.d.ipThrottle.release(slot);
}

async function startSession(c: Ctx, user: string, stage: SessionStage, to: string): Promise<void> {
  await c.d.sessions.destroy(c.cookies.get("nw_session"));
  const { id } = await c.d.sessions.create(user, stage);
  redirect(c.res, to, [c.sessionCookie(id), c.loginCookie(null)]);
}

export async function getLogin(c: Ctx): Promise<void> {
  if (c.session?.stage === "full") return redirect(c.res, "/");
  const token = randomToken();
  const info = c.query.has("signed-out") ? "Signed out." : c.query.has("expired") ? "Your session ended; sign in again." : undefined;
  sendHtml(c.res, 200, passwordPage({ csrf: token, ...(info === undefined ? {} : { info }) }), { "set-cookie": c.loginCookie(token) });
}

export async function postLogin(c: Ctx): Promise<void> {
  c.session = null; // a new sign-in never inherits a half-way session's token
  const form = await c.form();
  if (form === null) return forbidden(c);
  const slot = addressSlot(c);
  if (slot === null) return;
  const name = (form.get("username") ?? "").trim().toLowerCase();
  const r = await c.d.auth.checkPassword(name, form.get("password") ?? "", c.ip);
  settleAddress(c, slot, r);
  if (r.ok) return startSession(c, name, r.next === "code" ? "password" : "enroll", r.next === "code" ? "/login/code" : "/enroll");
  const token = randomToken();
  const error = r.reason === "locked" ? lockMessage(name, r.until) : "Wrong user name or password.";
  sendHtml(c.res, r.reason === "locked" ? 423 : 401, passwordPage({ csrf: token, error }), { "set-cookie": c.loginCookie(token) });
}

export async function getCode(c: Ctx): Promise<void> {
  if (c.session?.stage !== "password") return redirect(c.res, "/login");
  sendHtml(c.res, 200, codePage({ csrf: c.session.csrfToken, user: c.session.user }));
}

export async function postCode(c: Ctx): Promise<void> {
  const s = c.session;
  if (s?.stage !== "password") return redirect(c.res, "/login?expired");
  const form = await c.form();
  if (form === null) return forbidden(c);
  const slot = addressSlot(c);
  if (slot === null) return;
  const r = await c.d.auth.checkCode(s.user, form.get("code") ?? "", c.ip);
  settleAddress(c, slot, r);
  if (r.ok) return startSession(c, s.user, "full", r.method === "backup" ? `/settings?backup-used=${r.remaining}` : "/");
  if (r.reason === "locked") {
    await c.d.sessions.destroy(c.cookies.get("nw_session"));
    const token = randomToken();
    return sendHtml(c.res, 423, passwordPage({ csrf: token, error: lockMessage(s.user, r.until) }), { "set-cookie": [c.sessionCookie(null), c.loginCookie(token)] });
  }
  const error = r.reason === "replay" ? "That code was already used. Wait for the next one and type it." : "That code is not valid. Check the time on your phone, or use a backup code.";
  sendHtml(c.res, 401, codePage({ csrf: s.csrfToken, user: s.user, error }));
}

export async function getEnrol(c: Ctx): Promise<void> {
  const s = c.session;
  if (s?.stage !== "enroll") return redirect(c.res, "/login");
  const pending = (await c.d.auth.pendingEnrolment(s.user)) ?? (await c.d.auth.startEnrolment(s.user, c.ip));
  sendHtml(c.res, 200, enrolPage({ csrf: s.csrfToken, user: s.user, secret: pending.secret }));
}

export async function postEnrol(c: Ctx): Promise<void> {
  const s = c.session;
  if (s?.stage !== "enroll") return redirect(c.res, "/login?expired");
  const form = await c.form();
  if (form === null) return forbidden(c);
  const slot = addressSlot(c);
  if (slot === null) return;
  const r = await c.d.auth.confirmEnrolment(s.user, form.get("code") ?? "", c.ip);
  settleAddress(c, slot, r);
  if (!r.ok) {
    const pending = await c.d.auth.pendingEnrolment(s.user);
    if (pending === null) return redirect(c.res, "/login");
    return sendHtml(c.res, 401, enrolPage({ csrf: s.csrfToken, user: s.user, secret: pending.secret, error: "That code is not valid for this QR code. Try the next one." }));
  }
  await c.d.sessions.destroy(c.cookies.get("nw_session"));
  const { id } = await c.d.sessions.create(s.user, "full");
  sendHtml(c.res, 200, page({ title: "Authenticator active", body: html`<p>Two-factor sign-in is active for ${s.user}.</p>${backupCodesPanel(r.backupCodes, { href: "/", label: "I have printed them: go to the fleet" })}` }), { "set-cookie": c.sessionCookie(id) });
}

/** The pending secret's QR code as an SVG image (for the enrolment page and settings). */
export async function getQr(c: Ctx): Promise<void> {
  const s = c.session;
  if (s === null || s.stage === "password") return sendText(c.res, 404, "not found\n");
  const pending = await c.d.auth.pendingEnrolment(s.user);
  if (pending === null) return sendText(c.res, 404, "no enrolment in progress\n");
  c.res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "no-store", "content-security-policy": "default-src 'none'", "x-content-type-options": "nosniff", "referrer-policy": "no-referrer" });
  c.res.end(await qrSvg(pending.uri));
}

export async function postLogout(c: Ctx): Promise<void> {
  if (c.session === null) return redirect(c.res, "/login");
  const form = await c.form();
  if (form === null) return forbidden(c);
  await c.d.sessions.destroy(c.cookies.get("nw_session"));
  await c.d.auth.recordLogout(c.session.user, c.ip);
  redirect(c.res, "/login?signed-out", [c.sessionCookie(null)]);
}
