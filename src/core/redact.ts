/**
 * Secret redaction (invariant 5). Every secret nodeward loads is registered here; every line it
 * logs, every error it prints and every report it writes passes through `redact`.
 */
export const REDACTED = "[REDACTED]";

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret. Very short values are refused: redacting "a" would mangle every line. */
  add(secret: string | undefined): void {
    if (secret === undefined) return;
    const s = secret.trim();
    if (s.length >= 6) this.secrets.add(s);
  }

  redact(text: string): string {
    let out = text.replace(/(authorization["']?\s*[:=]\s*["']?\s*bearer\s+)[^\s"',}]+/gi, `$1${REDACTED}`);
    out = out.replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{12,}/gi, `$1${REDACTED}`);
    for (const s of this.secrets) out = out.split(s).join(REDACTED);
    return out;
  }
}
