/**
 * The shapes a secret takes on its way into a message: as it is, percent-encoded (a URL, a
 * form body with + for spaces, upper- or lower-case hex), JSON-escaped (with or without \u
 * escapes), HTML-escaped, base64 (padded or not, base64url: SMTP AUTH LOGIN sends a password so).
 * An HTTP Basic credential also yields its decoded "user:password" and the password. Pure.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const percent = [encodeURIComponent(secret), encodeURI(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
  for (const p of percent) forms.add(p).add(p.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json).add(json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  const html = secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  forms.add(html).add(html.replace(/'/g, "&#39;")).add(html.replace(/'/g, "&#x27;"));
  const bytes = Buffer.from(secret, "utf8");
  const base64 = bytes.toString("base64");
  forms.add(base64).add(base64.replace(/=+$/, "")).add(bytes.toString("base64url"));
  for (const pair of basicPair(secret)) forms.add(pair);
  forms.delete("");
  return [...forms];
}

/** "Basic dXNlcjpwYXNz" → "user:pass" and "pass". */
function basicPair(secret: string): string[] {
  const m = /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(secret.trim());
  if (m?.[1] === undefined) return [];
  const pair = Buffer.from(m[1], "base64").toString("utf8");
  const colon = pair.indexOf(":");
  return colon < 0 ? [] : [pair, pair.slice(colon + 1)];
}
