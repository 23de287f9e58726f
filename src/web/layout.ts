import { html, type Html } from "./html.ts";

/** The page frame: our stylesheet, no inline script or style, navigation when signed in. */
export interface PageFrame {
  title: string;
  /** Signed-in user and the session's CSRF token (for the logout form); absent on sign-in pages. */
  user?: { name: string; csrf: string };
  /** Scripts of ours under /static/. */
  scripts?: readonly string[];
  body: Html;
}

export function page(f: PageFrame): Html {
  const nav = f.user === undefined
    ? ""
    : html`<nav><a href="/">Fleet</a><a href="/incidents">Incidents</a><a href="/settings">Settings</a>
<form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" value="${f.user.csrf}"><span>${f.user.name}</span><button type="submit">Sign out</button></form></nav>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${f.title} · nodeward</title>
<link rel="stylesheet" href="/static/dashboard.css">${(f.scripts ?? []).includes("/static/charts.js") ? html`<link rel="stylesheet" href="/static/uplot.min.css">` : ""}
</head><body><header><strong>nodeward</strong>${nav}</header><main>
<h1>${f.title}</h1>
${f.body}
</main>${(f.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}</body></html>
`;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="csrf" value="${token}">`;
}

export function notice(kind: "error" | "info" | "warn", text: string | undefined): Html | "" {
  return text === undefined ? "" : html`<p class="notice ${kind}" role="${kind === "error" ? "alert" : "status"}">${text}</p>`;
}
