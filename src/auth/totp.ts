import { Secret, TOTP } from "otpauth";

/**
 * TOTP (RFC 6238) through the maintained `otpauth` library: SHA1, 6 digits, 30 s — what Google
 * Authenticator shows — with a 160-bit secret (RFC 4226 §4 R6 recommends 160). Validation allows
 * ±1 time step (RFC 6238 §5.2) and returns the step a code belongs to, so the caller can refuse a
 * second use of it (replay). otpauth checks the length and compares in constant time.
 */

export const ISSUER = "nodeward";
export const PERIOD_SECONDS = 30;
export const DIGITS = 6;
export const WINDOW = 1;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secretBase32: string, account: string, digits: number): TOTP {
  return new TOTP({ issuer: ISSUER, label: account, algorithm: "SHA1", digits, period: PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

/** Google Authenticator's Key Uri Format: otpauth://totp/nodeward:NAME?secret=…&issuer=nodeward&algorithm=SHA1&digits=6&period=30 */
export function totpUri(secretBase32: string, account: string): string {
  return totpFor(secretBase32, account, DIGITS).toString();
}

/** The time step of `atMs`: floor(unix seconds / 30); beyond 2^32 works (RFC 6238 §4.2). */
export function timeStep(atMs: number): number {
  return Math.floor(atMs / 1000 / PERIOD_SECONDS);
}

/** The code for `atMs` (tests, and the CLI's self-check). */
export function totpCode(secretBase32: string, atMs: number, digits: number = DIGITS): string {
  return totpFor(secretBase32, "x", digits).generate({ timestamp: atMs });
}

/** The step the code matches within ±1 step of `atMs`, or null. */
export function matchTotp(secretBase32: string, code: string, atMs: number, digits: number = DIGITS): number | null {
  const token = code.replace(/\s+/g, "");
  if (!new RegExp(`^\\d{${digits}}$`).test(token)) return null;
  const delta = totpFor(secretBase32, "x", digits).validate({ token, timestamp: atMs, window: WINDOW });
  return delta === null ? null : timeStep(atMs) + delta;
}
