import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Single-use backup codes: 10 codes of 16 characters from an unambiguous alphabet (80 bits each,
 * so a fast hash is enough: nobody enumerates 2^80), shown once, stored only as SHA-256 hashes.
 */

export const BACKUP_CODE_COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no i, l, o, 0, 1
const LENGTH = 16;

export function newBackupCodes(count: number = BACKUP_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let s = "";
    while (s.length < LENGTH) {
      for (const b of randomBytes(32)) {
        // Rejection sampling: no modulo bias.
        if (b < 256 - (256 % ALPHABET.length) && s.length < LENGTH) s += ALPHABET[b % ALPHABET.length];
      }
    }
    return s.match(/.{4}/g)!.join("-");
  });
}

/** Spaces, dashes and case do not matter when typing a code. */
export function normalizeBackupCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, "");
}

export function looksLikeBackupCode(code: string): boolean {
  return normalizeBackupCode(code).length === LENGTH;
}

export function hashBackupCode(code: string): string {
  return createHash("sha256").update(normalizeBackupCode(code)).digest("hex");
}

/** The id of the unused code matching `code`, comparing every hash in constant time. */
export function findBackupCode(code: string, stored: readonly { id: number; hash: string; usedAt: number | null }[]): number | null {
  const candidate = Buffer.from(hashBackupCode(code), "hex");
  let found: number | null = null;
  for (const c of stored) {
    const h = Buffer.from(c.hash, "hex");
    if (h.length === candidate.length && timingSafeEqual(h, candidate) && c.usedAt === null) found = c.id;
  }
  return found;
}

/** What the operator reads when the codes are shown (once). */
export function backupCodesNotice(codes: readonly string[]): string[] {
  return [
    "Backup codes: each one signs you in once instead of an authenticator code.",
    "PRINT THEM (or write them down) NOW and keep the paper somewhere safe, away from your phone:",
    "they are shown only this once and nodeward keeps only their hashes.",
    ...codes.map((c, i) => `  ${String(i + 1).padStart(2)}. ${c}`),
    "Using one is logged and alerted. `nodeward 2fa backup-codes NAME` makes new ones and voids these.",
  ];
}
