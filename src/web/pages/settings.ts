import type { UserSummary } from "../../auth/service.ts";
import { html, type Html } from "../html.ts";
import { csrfField, notice, page } from "../layout.ts";
import { utc } from "./format.ts";

/** The signed-in user's own second factor: replace the authenticator, regenerate backup codes. */
export function settingsPage(o: { me: UserSummary; csrf: string; body?: Html; error?: string; info?: string }): Html {
  const user = { name: o.me.name, csrf: o.csrf };
  return page({
    title: "Settings",
    user,
    body: html`${notice("error", o.error)}${notice("info", o.info)}${o.body ?? ""}
<section class="card"><h2>Authenticator</h2><p>${o.me.totpEnrolled ? "Active." : "Not set up."} Account created ${utc(o.me.createdAt)}.</p>
<form method="post" action="/settings/totp">${csrfField(o.csrf)}<button type="submit">Set up a new authenticator</button></form>
<p class="muted">The current one keeps working until the new one is activated with its first code.</p></section>
<form class="card" method="post" action="/settings/backup-codes" autocomplete="off">${csrfField(o.csrf)}<h2>Backup codes</h2>
<p>${o.me.backupCodesRemaining} of 10 unused.${o.me.backupCodesRemaining <= 3 ? " Make new ones soon." : ""} New codes void all the old ones.</p>
<label for="bc-code">Current authenticator code</label><input type="text" id="bc-code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
<button type="submit">Make 10 new backup codes</button></form>`,
  });
}
