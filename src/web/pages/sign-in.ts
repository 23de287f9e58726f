import { html, type Html } from "../html.ts";
import { csrfField, notice, page } from "../layout.ts";

/** The sign-in pages: password, then a code, or (first time) enrolment. */

export function passwordPage(o: { csrf: string; error?: string; info?: string }): Html {
  return page({
    title: "Sign in",
    body: html`${notice("error", o.error)}${notice("info", o.info)}
<form class="card" method="post" action="/login" autocomplete="on">${csrfField(o.csrf)}
<label for="username">User</label><input type="text" id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Continue</button></form>`,
  });
}

export function codePage(o: { csrf: string; user: string; error?: string }): Html {
  return page({
    title: "Two-factor code",
    body: html`${notice("error", o.error)}
<form class="card" method="post" action="/login/code" autocomplete="off">${csrfField(o.csrf)}
<p>Signed in as <strong>${o.user}</strong>. Type the 6-digit code your authenticator app shows for nodeward, or one of your printed backup codes.</p>
<label for="code">Code</label><input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus>
<button type="submit">Sign in</button></form>
<form method="post" action="/logout">${csrfField(o.csrf)}<button type="submit">Cancel</button></form>`,
  });
}

/** Shows the pending secret's QR (served as an image by /enroll/qr.svg) and asks for its first code. */
export function enrolPanel(o: { csrf: string; secret: string; action: string; qrSrc: string; error?: string }): Html {
  return html`${notice("error", o.error)}
<section class="card"><p>Scan this QR code with Google Authenticator (or any TOTP app), then type the code it shows.</p>
<img class="qr" src="${o.qrSrc}" alt="QR code of the authenticator secret">
<p>Cannot scan? Enter this key by hand (time-based, 6 digits, 30 s): <span class="secret">${o.secret.replace(/(.{4})/g, "$1 ").trim()}</span></p></section>
<form class="card" method="post" action="${o.action}" autocomplete="off">${csrfField(o.csrf)}
<label for="code">Code from the app</label><input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus>
<button type="submit">Activate</button></form>`;
}

export function enrolPage(o: { csrf: string; user: string; secret: string; error?: string }): Html {
  return page({
    title: "Set up two-factor sign-in",
    body: html`<p>${o.user} has no authenticator yet. The dashboard needs one: set it up now.</p>
${enrolPanel({ ...o, action: "/enroll", qrSrc: "/enroll/qr.svg" })}
<form method="post" action="/logout">${csrfField(o.csrf)}<button type="submit">Cancel</button></form>`,
  });
}

/** Shown once, right after they are made. */
export function backupCodesPanel(codes: readonly string[], next: { href: string; label: string }): Html {
  return html`<section class="card"><p class="notice warn"><strong>Print these backup codes now</strong> (or write them down) and keep them somewhere safe, away from your phone.
Each one signs you in once if you lose your authenticator. They are shown only this once; nodeward keeps only their hashes. Using one is logged and alerted.</p>
<ol class="codes">${codes.map((c) => html`<li>${c}</li>`)}</ol>
<p><a href="${next.href}">${next.label}</a></p></section>`;
}
