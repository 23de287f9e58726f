import type { Ctx } from "./context.ts";
import { fleetPage, nodeDetail, recentIncidents } from "./fleet-view.ts";
import { html } from "./html.ts";
import { sendHtml, sendText } from "./respond.ts";
import { incidentsPage } from "./pages/incidents.ts";
import { nodePage } from "./pages/node.ts";
import { overviewPage } from "./pages/overview.ts";
import { settingsPage } from "./pages/settings.ts";
import { backupCodesPanel, enrolPanel } from "./pages/sign-in.ts";
import { addressSlot, forbidden, settleAddress } from "./routes-sign-in.ts";

/** The signed-in pages. Each one reads through the read model or the auth service; no logic here. */

const me = (c: Ctx) => ({ name: c.session!.user, csrf: c.session!.csrfToken });

export async function getOverview(c: Ctx): Promise<void> {
  sendHtml(c.res, 200, overviewPage(await fleetPage(c.d.read, Number(c.query.get("page") ?? 1)), c.d.clock.now(), me(c), c.d.watcherOffline()));
}

export async function getNode(c: Ctx, id: string): Promise<void> {
  const d = await nodeDetail(c.d.read, id);
  if (d === null) return sendText(c.res, 404, "no such node in the fleet\n");
  sendHtml(c.res, 200, nodePage(d, c.d.clock.now(), me(c)));
}

export async function getIncidents(c: Ctx): Promise<void> {
  sendHtml(c.res, 200, incidentsPage(await recentIncidents(c.d.read), c.d.clock.now(), me(c)));
}

async function summary(c: Ctx) {
  const s = (await c.d.auth.listUsers()).find((u) => u.name === c.session!.user);
  if (s === undefined) throw new Error("the signed-in user vanished");
  return s;
}

export async function getSettings(c: Ctx): Promise<void> {
  const left = c.query.get("backup-used");
  const info = left === null ? undefined : `You signed in with a backup code; ${Number(left)} unused codes left. If you lost your phone, set up a new authenticator below.`;
  sendHtml(c.res, 200, settingsPage({ me: await summary(c), csrf: c.session!.csrfToken, ...(info === undefined ? {} : { info }) }));
}

/** Starts replacing the authenticator: a pending secret, its QR, and a field for its first code. */
export async function postTotpStart(c: Ctx): Promise<void> {
  const form = await c.form();
  if (form === null) return forbidden(c);
  const { secret } = await c.d.auth.startEnrolment(c.session!.user, c.ip);
  const panel = enrolPanel({ csrf: c.session!.csrfToken, secret, action: "/settings/totp/confirm", qrSrc: "/settings/qr.svg" });
  sendHtml(c.res, 200, settingsPage({ me: await summary(c), csrf: c.session!.csrfToken, body: panel }));
}

export async function postTotpConfirm(c: Ctx): Promise<void> {
  const form = await c.form();
  if (form === null) return forbidden(c);
  const user = c.session!.user;
  const slot = addressSlot(c);
  if (slot === null) return;
  const r = await c.d.auth.confirmEnrolment(user, form.get("code") ?? "", c.ip);
  settleAddress(c, slot, r);
  if (r.ok) {
    const body = html`<p class="notice info">The new authenticator is active; the old one no longer works.</p>${backupCodesPanel(r.backupCodes, { href: "/settings", label: "Done" })}`;
    return sendHtml(c.res, 200, settingsPage({ me: await summary(c), csrf: c.session!.csrfToken, body }));
  }
  const pending = await c.d.auth.pendingEnrolment(user);
  const body = pending === null ? undefined : enrolPanel({ csrf: c.session!.csrfToken, secret: pending.secret, action: "/settings/totp/confirm", qrSrc: "/settings/qr.svg", error: "That code is not valid for the new QR code." });
  sendHtml(c.res, 401, settingsPage({ me: await summary(c), csrf: c.session!.csrfToken, ...(body === undefined ? { error: "No new authenticator is being set up." } : { body }) }));
}

/** New backup codes, after a current authenticator code. */
export async function postBackupCodes(c: Ctx): Promise<void> {
  const form = await c.form();
  if (form === null) return forbidden(c);
  const user = c.session!.user;
  const slot = addressSlot(c);
  if (slot === null) return;
  const r = await c.d.auth.checkCode(user, form.get("code") ?? "", c.ip);
  settleAddress(c, slot, r);
  if (!r.ok) {
    return sendHtml(c.res, 401, settingsPage({ me: await summary(c), csrf: c.session!.csrfToken, error: r.reason === "replay" ? "That code was already used; wait for the next one." : r.reason === "locked" ? "Too many failed attempts: the account is locked." : "That code is not valid." }));
  }
  const codes = await c.d.auth.regenerateBackupCodes(user, c.ip);
  sendHtml(c.res, 200, settingsPage({ me: await summary(c), csrf: c.session!.csrfToken, body: backupCodesPanel(codes, { href: "/settings", label: "Done" }) }));
}
