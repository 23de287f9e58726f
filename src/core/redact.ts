import { secretForms } from "./secret-forms.ts";

/**
 * Secret redaction (invariant 5). Every secret nodeward loads is registered here; every line it
 * logs, every error it prints and every report it writes passes through `redact`.
 *
 * Every secret counts, however short: a 3-character password is still a password. Each is
 * registered with its encoded forms (secret-forms.ts). A form of 6 characters or more is
 * redacted wherever it appears; a shorter one only as a whole token (not next to a letter or
 * digit), so a PIN "1234" is redacted in "pin=1234&" but "12345" and "1234ms" stay readable.
 */
export const REDACTED = "[REDACTED]";

/** Forms at least this long are redacted anywhere, even inside a word. */
const ANYWHERE = 6;

export class Redactor {
  private readonly forms = new Set<string>();
  private pattern: RegExp | null = null;

  /** Registers a secret (trimmed) with its encoded forms. Empty and blank values are ignored. */
  add(secret: string | undefined): void {
    if (secret === undefined) return;
    const s = secret.trim();
    if (s === "") return;
    for (const f of secretForms(s)) this.forms.add(f);
    this.pattern = null;
  }

  /** A login: the password, and the forms user and password travel in together (HTTP Basic, SMTP AUTH PLAIN). */
  addLogin(user: string, password: string): void {
    this.add(password);
    if (password.trim() === "") return;
    this.add(`${user}:${password}`);
    this.add(`\0${user}\0${password}`);
  }

  redact(text: string): string {
    let out = text.replace(/(authorization["']?\s*[:=]\s*["']?\s*bearer\s+)[^\s"',}]+/gi, `$1${REDACTED}`);
    out = out.replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{12,}/gi, `$1${REDACTED}`);
    const pattern = this.compiled();
    return pattern === null ? out : out.replace(pattern, REDACTED);
  }

  /** One pass over the text, longest form first, so a secret inside another and the marker itself are never cut apart. */
  private compiled(): RegExp | null {
    if (this.pattern !== null || this.forms.size === 0) return this.pattern;
    const alternatives = [...this.forms].sort((a, b) => b.length - a.length).map(tokenPattern);
    this.pattern = new RegExp(alternatives.join("|"), "gu");
    return this.pattern;
  }
}

const WORD = /[\p{L}\p{N}_]/u;

function tokenPattern(form: string): string {
  const body = form.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  if (form.length >= ANYWHERE) return body;
  const before = WORD.test(form[0] ?? "") ? "(?<![\\p{L}\\p{N}_])" : "";
  const after = WORD.test(form.at(-1) ?? "") ? "(?![\\p{L}\\p{N}_])" : "";
  return `${before}${body}${after}`;
}
