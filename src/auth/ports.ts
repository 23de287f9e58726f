/**
 * The auth capability's storage port. Implementations: store/sqlite (the daemon's and the CLI's)
 * and store/memory (unit tests); one contract suite runs against both (store/contracts). Every
 * method is one transaction. The store never sees a password, a TOTP secret in clear, a backup
 * code or a session id: only hashes and the sealed (encrypted) secret.
 */

import type { Reservation } from "./attempts.ts";
import type { AccountPolicy } from "./throttle.ts";

export interface UserRecord {
  name: string;
  /** "scrypt$N$r$p$salt$hash" (password.ts). */
  passwordHash: string;
  createdAt: number;
  /** The active TOTP secret, sealed (secret-box.ts); null until an enrolment is confirmed. */
  totpSecret: string | null;
  totpEnrolledAt: number | null;
  /** The last accepted TOTP time step: a code of this step or earlier is refused (RFC 6238 §5.2). */
  totpLastStep: number | null;
  /** A new secret waiting for its first valid code (sealed); replaces totpSecret when confirmed. */
  pendingTotpSecret: string | null;
  /** Consecutive failed sign-in steps (password, code), and steps being checked now (auth/attempts.ts). */
  failedAttempts: number;
  lockedUntil: number | null;
}

export type UserPatch = Partial<Omit<UserRecord, "name" | "createdAt" | "totpLastStep">>;

export interface BackupCodeRecord {
  id: number;
  /** SHA-256 of the normalised code, hex. */
  hash: string;
  usedAt: number | null;
}

export type SessionStage = "password" | "enroll" | "full";

export interface SessionRecord {
  /** SHA-256 of the session id (hex); the id itself only ever lives in the browser's cookie. */
  idHash: string;
  user: string;
  stage: SessionStage;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export type AuthEventKind =
  | "user-added"
  | "password-ok"
  | "password-failed"
  | "totp-ok"
  | "totp-failed"
  | "totp-replay"
  | "backup-code-used"
  | "backup-code-failed"
  | "locked"
  | "unlocked"
  | "enrolled"
  | "enrolment-started"
  | "backup-codes-regenerated"
  | "logout";

export interface AuthEvent {
  at: number;
  user: string;
  kind: AuthEventKind;
  /** Client address when the event came from the web; null from the CLI. */
  ip: string | null;
  detail: string;
}

export interface AuthStore {
  /** Conflict when the name is taken. */
  createUser(user: UserRecord): Promise<void>;
  getUser(name: string): Promise<UserRecord | null>;
  /** By name. */
  listUsers(): Promise<UserRecord[]>;
  /** Not-found when the user does not exist. */
  updateUser(name: string, patch: UserPatch): Promise<void>;
  /**
   * Takes a sign-in attempt slot before the credential is checked, atomically, also against other
   * processes (auth/attempts.ts `reserveAttempt`): refused while the account is locked, otherwise
   * counted as a failure at once; the slot that reaches `policy.maxFailures` locks the account.
   * Not-found when the user does not exist.
   */
  reserveAttempt(name: string, now: number, policy: AccountPolicy): Promise<Reservation>;
  /** Gives a slot back (the credential was right), atomically (auth/attempts.ts `releaseAttempt`). Not-found when the user does not exist. */
  releaseAttempt(name: string, policy: AccountPolicy): Promise<void>;
  /**
   * Records `step` as the last accepted TOTP step if it is later than the stored one, atomically:
   * false means the step (or a later one) was already used — a replay, refused.
   */
  acceptTotpStep(name: string, step: number): Promise<boolean>;
  /** Forgets the last accepted step (a new secret was enrolled). */
  resetTotpStep(name: string): Promise<void>;
  /** The old codes die; the new hashes are the only valid ones. */
  replaceBackupCodes(name: string, hashes: readonly string[], now: number): Promise<void>;
  backupCodes(name: string): Promise<BackupCodeRecord[]>;
  /** Marks one code used, atomically: false when it was used already (by a concurrent request). */
  useBackupCode(name: string, id: number, now: number): Promise<boolean>;

  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | null>;
  touchSession(idHash: string, lastSeenAt: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Sessions created before `createdBefore` or idle since before `idleBefore`; returns how many. */
  deleteExpiredSessions(createdBefore: number, idleBefore: number): Promise<number>;
  deleteUserSessions(name: string): Promise<number>;

  appendEvent(event: AuthEvent): Promise<void>;
  /** Newest first. */
  events(filter: { user?: string; limit: number }): Promise<AuthEvent[]>;
}
