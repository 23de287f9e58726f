import type { AuthEvent, SessionRecord, UserPatch, UserRecord } from "../auth/ports.ts";
import { StoreError } from "./errors.ts";

/** What an auth store accepts, the same in every implementation. */

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function checkNewUser(u: UserRecord): void {
  if (!NAME.test(u.name)) throw new StoreError("invalid-argument", `cannot store user ${JSON.stringify(u.name)}: a user name is 1–64 of a-z, 0-9, ".", "_", "-"`);
  if (u.passwordHash === "") throw new StoreError("invalid-argument", `cannot store user ${u.name}: no password hash`);
}

export function checkSession(s: SessionRecord): void {
  if (!/^[0-9a-f]{64}$/.test(s.idHash)) throw new StoreError("invalid-argument", "a session is stored under the SHA-256 of its id (64 hex digits)");
}

export function checkEvent(e: AuthEvent): void {
  if (!Number.isSafeInteger(e.at) || e.at < 0) throw new StoreError("invalid-argument", `auth event time must be whole ms since the epoch, got ${e.at}`);
}

export function userTaken(name: string): StoreError {
  return new StoreError("conflict", `user ${JSON.stringify(name)} already exists`);
}

export function userNotFound(name: string): StoreError {
  return new StoreError("not-found", `user ${JSON.stringify(name)} is not in the store`);
}

/** An auth_users row, the same columns in SQLite and PostgreSQL. */
export interface UserRow {
  name: string;
  password_hash: string;
  created_at: number;
  totp_secret: string | null;
  totp_enrolled_at: number | null;
  totp_last_step: number | null;
  pending_totp_secret: string | null;
  failed_attempts: number;
  locked_until: number | null;
}

/** The columns a patch may set: a fixed list, so the SQL text never depends on the caller's data. */
export const USER_COLUMNS: Record<keyof UserPatch, string> = {
  passwordHash: "password_hash",
  totpSecret: "totp_secret",
  totpEnrolledAt: "totp_enrolled_at",
  pendingTotpSecret: "pending_totp_secret",
  failedAttempts: "failed_attempts",
  lockedUntil: "locked_until",
};

export const toUser = (r: UserRow): UserRecord => ({
  name: r.name,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  totpSecret: r.totp_secret,
  totpEnrolledAt: r.totp_enrolled_at,
  totpLastStep: r.totp_last_step,
  pendingTotpSecret: r.pending_totp_secret,
  failedAttempts: r.failed_attempts,
  lockedUntil: r.locked_until,
});
