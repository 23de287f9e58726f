import type { Clock } from "../core/clock.ts";
import { AppError } from "../core/errors.ts";
import { CLEARED, type Reservation } from "./attempts.ts";
import { findBackupCode, hashBackupCode, looksLikeBackupCode, newBackupCodes } from "./backup-codes.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./password.ts";
import type { AuthEventKind, AuthStore, UserRecord } from "./ports.ts";
import type { SecretBox } from "./secret-box.ts";
import { ACCOUNT_POLICY, isLocked, type AccountPolicy } from "./throttle.ts";
import { matchTotp, newTotpSecret, totpUri } from "./totp.ts";
import { UnknownNames } from "./unknown-names.ts";

/**
 * Accounts and their second factor: the one place that checks a password, a TOTP code or a
 * backup code. Results are values (why a step failed); AppError only for misuse (unknown user
 * in a CLI command, a bad name or password). Secrets never reach the log or the audit trail.
 */

export interface AuthLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface BackupCodeUse {
  user: string;
  at: number;
  remaining: number;
  ip: string | null;
}

export interface AuthServiceDeps {
  store: AuthStore;
  box: SecretBox;
  clock: Pick<Clock, "now">;
  log?: AuthLog;
  /** Called after a backup code signed someone in (the daemon turns it into an alert). */
  onBackupCodeUsed?: (use: BackupCodeUse) => Promise<void>;
  policy?: AccountPolicy;
}

/**
 * Why a step was refused. "locked" with `checked`: this step's credential was checked, was wrong,
 * and the account is locked now; without: the lock refused the step before any check.
 */
export type Refusal = { ok: false; reason: "invalid" | "replay" | "not-enrolled" } | { ok: false; reason: "locked"; until: number; checked: boolean };
export type PasswordResult = { ok: true; next: "code" | "enroll" } | Refusal;
export type CodeResult = { ok: true; method: "totp" } | { ok: true; method: "backup"; remaining: number } | Refusal;

export interface UserSummary {
  name: string;
  createdAt: number;
  totpEnrolled: boolean;
  backupCodesRemaining: number;
  lockedUntil: number | null;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Checked against when the user does not exist, so both cases take as long. */
const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** Whether a refused step checked a credential: it then counts against the client's address too. */
export function checkedAndFailed(r: Refusal): boolean {
  return r.reason === "invalid" || r.reason === "replay" || (r.reason === "locked" && r.checked);
}

export function checkUserName(name: string): void {
  if (!NAME.test(name)) throw new AppError("USAGE", `${JSON.stringify(name)} is not a user name`, { hint: 'use 1–64 of a-z, 0-9, ".", "_", "-", starting with a letter or digit' });
}

function locked(until: number, checked: boolean): Refusal {
  return { ok: false, reason: "locked", until, checked };
}

export class AuthService {
  readonly #d: AuthServiceDeps;
  readonly #policy: AccountPolicy;
  readonly #unknown: UnknownNames;

  constructor(deps: AuthServiceDeps) {
    this.#d = deps;
    this.#policy = deps.policy ?? ACCOUNT_POLICY;
    this.#unknown = new UnknownNames(this.#policy);
  }

  async addUser(name: string, password: string): Promise<void> {
    checkUserName(name);
    const problem = passwordProblem(password);
    if (problem !== null) throw new AppError("USAGE", `password refused: ${problem}`);
    const now = this.#d.clock.now();
    if ((await this.#d.store.getUser(name)) !== null) throw new AppError("USAGE", `user ${name} already exists`);
    await this.#d.store.createUser({
      name, passwordHash: await hashPassword(password), createdAt: now, totpSecret: null, totpEnrolledAt: null,
      totpLastStep: null, pendingTotpSecret: null, failedAttempts: 0, lockedUntil: null,
    });
    await this.#event(name, "user-added", null, "");
  }

  async listUsers(): Promise<UserSummary[]> {
    const users = await this.#d.store.listUsers();
    return Promise.all(users.map(async (u) => ({
      name: u.name,
      createdAt: u.createdAt,
      totpEnrolled: u.totpSecret !== null,
      backupCodesRemaining: (await this.#d.store.backupCodes(u.name)).filter((c) => c.usedAt === null).length,
      lockedUntil: isLocked(u.lockedUntil, this.#d.clock.now()) ? u.lockedUntil : null,
    })));
  }

  async unlock(name: string): Promise<{ wasLocked: boolean }> {
    const u = await this.#user(name);
    await this.#d.store.updateUser(name, { failedAttempts: 0, lockedUntil: null });
    await this.#event(name, "unlocked", null, "");
    return { wasLocked: isLocked(u.lockedUntil, this.#d.clock.now()) };
  }

  /** A new secret, pending until a code from it is confirmed; the current one stays valid meanwhile. */
  async startEnrolment(name: string, ip: string | null = null): Promise<{ secret: string; uri: string }> {
    await this.#user(name);
    const secret = newTotpSecret();
    await this.#d.store.updateUser(name, { pendingTotpSecret: this.#d.box.seal(secret, name) });
    await this.#event(name, "enrolment-started", ip, "");
    return { secret, uri: totpUri(secret, name) };
  }

  /** The pending secret and its URI again (the web page re-drawing its QR). */
  async pendingEnrolment(name: string): Promise<{ secret: string; uri: string } | null> {
    const u = await this.#user(name);
    if (u.pendingTotpSecret === null) return null;
    const secret = this.#d.box.open(u.pendingTotpSecret, name);
    return { secret, uri: totpUri(secret, name) };
  }

  /** Activates the pending secret when `code` is valid for it; new backup codes come with it. */
  async confirmEnrolment(name: string, code: string, ip: string | null = null): Promise<{ ok: true; backupCodes: string[] } | { ok: false; reason: "invalid" | "not-enrolled" }> {
    const u = await this.#user(name);
    if (u.pendingTotpSecret === null) return { ok: false, reason: "not-enrolled" };
    const now = this.#d.clock.now();
    const step = matchTotp(this.#d.box.open(u.pendingTotpSecret, name), code, now);
    if (step === null) {
      await this.#event(name, "totp-failed", ip, "enrolment code did not match");
      return { ok: false, reason: "invalid" };
    }
    await this.#d.store.updateUser(name, { totpSecret: u.pendingTotpSecret, pendingTotpSecret: null, totpEnrolledAt: now });
    await this.#d.store.resetTotpStep(name);
    await this.#d.store.acceptTotpStep(name, step);
    await this.#event(name, "enrolled", ip, "authenticator enrolled");
    return { ok: true, backupCodes: await this.regenerateBackupCodes(name, ip) };
  }

  /** Ten new codes; every older code stops working. */
  async regenerateBackupCodes(name: string, ip: string | null = null): Promise<string[]> {
    await this.#user(name);
    const codes = newBackupCodes();
    await this.#d.store.replaceBackupCodes(name, codes.map(hashBackupCode), this.#d.clock.now());
    await this.#event(name, "backup-codes-regenerated", ip, `${codes.length} codes`);
    return codes;
  }

  /**
   * First step of a sign-in. Unknown users and wrong passwords look alike, and take as long; an
   * unknown name is locked like an account. Every step takes its attempt slot before the slow
   * check (auth/attempts.ts), so parallel requests cannot check more than the limit allows.
   */
  async checkPassword(name: string, password: string, ip: string | null): Promise<PasswordResult> {
    const now = this.#d.clock.now();
    const u = NAME.test(name) ? await this.#d.store.getUser(name) : null;
    const slot = u === null ? this.#unknown.reserve(name, now) : await this.#d.store.reserveAttempt(name, now, this.#policy);
    if (!slot.ok) return locked(slot.lockedUntil, false);
    const good = await verifyPassword(password, u?.passwordHash ?? DUMMY_HASH);
    if (u === null) {
      const until = this.#unknown.lockedUntil(name, this.#d.clock.now());
      return until === null ? { ok: false, reason: "invalid" } : locked(until, true);
    }
    if (!good) return this.#fail(name, slot, "password-failed", ip, "wrong password");
    // A right password gives its slot back but resets nothing: only a second factor does.
    await this.#d.store.releaseAttempt(name, this.#policy);
    await this.#event(name, "password-ok", ip, "");
    return { ok: true, next: u.totpSecret === null ? "enroll" : "code" };
  }

  /** Second step: a TOTP code (±1 step, each step once) or an unused backup code. */
  async checkCode(name: string, code: string, ip: string | null): Promise<CodeResult> {
    const now = this.#d.clock.now();
    const u = await this.#user(name);
    if (isLocked(u.lockedUntil, now)) return locked(u.lockedUntil as number, false);
    if (u.totpSecret === null) return { ok: false, reason: "not-enrolled" };
    const slot = await this.#d.store.reserveAttempt(name, now, this.#policy);
    if (!slot.ok) return locked(slot.lockedUntil, false);
    if (looksLikeBackupCode(code)) return this.#backup(u, slot, code, ip, now);
    const step = matchTotp(this.#d.box.open(u.totpSecret, name), code, now);
    if (step === null) return this.#fail(name, slot, "totp-failed", ip, "wrong code");
    if (!(await this.#d.store.acceptTotpStep(name, step))) return this.#fail(name, slot, "totp-replay", ip, "code already used", "replay");
    await this.#d.store.updateUser(name, CLEARED);
    await this.#event(name, "totp-ok", ip, "");
    return { ok: true, method: "totp" };
  }

  async recordLogout(name: string, ip: string | null): Promise<void> {
    await this.#event(name, "logout", ip, "");
  }

  async #backup(u: UserRecord, slot: Reservation, code: string, ip: string | null, now: number): Promise<CodeResult> {
    const codes = await this.#d.store.backupCodes(u.name);
    const id = findBackupCode(code, codes);
    // useBackupCode is the atomic part: of many requests with the same code, one wins.
    if (id === null || !(await this.#d.store.useBackupCode(u.name, id, now))) return this.#fail(u.name, slot, "backup-code-failed", ip, "unknown or used backup code");
    const remaining = codes.filter((c) => c.usedAt === null && c.id !== id).length;
    await this.#d.store.updateUser(u.name, CLEARED);
    await this.#event(u.name, "backup-code-used", ip, `${remaining} left`);
    this.#d.log?.warn({ user: u.name, ip, remaining }, "a backup code was used to sign in");
    await this.#d.onBackupCodeUsed?.({ user: u.name, at: now, remaining, ip });
    return { ok: true, method: "backup", remaining };
  }

  /** A wrong credential: its slot stays counted (nothing to write); the answer says "locked" when the account is. */
  async #fail(name: string, slot: Reservation, kind: AuthEventKind, ip: string | null, detail: string, reason: "invalid" | "replay" = "invalid"): Promise<Refusal> {
    await this.#event(name, kind, ip, detail);
    this.#d.log?.warn({ user: name, ip, event: kind }, "sign-in step refused");
    const until = (await this.#d.store.getUser(name))?.lockedUntil ?? null;
    if (until === null || !isLocked(until, this.#d.clock.now())) return { ok: false, reason };
    if (slot.ok && slot.lockedUntil === until) {
      // This step's slot took the lock: audit it once.
      await this.#event(name, "locked", ip, `after ${this.#policy.maxFailures} failed attempts`);
      this.#d.log?.warn({ user: name, ip, until: new Date(until).toISOString() }, "account locked");
    }
    return locked(until, true);
  }

  async #user(name: string): Promise<UserRecord> {
    const u = NAME.test(name) ? await this.#d.store.getUser(name) : null;
    if (u === null) throw new AppError("USAGE", `no user ${JSON.stringify(name)}`, { hint: "`nodeward user list` shows the users; `nodeward user add NAME` adds one" });
    return u;
  }

  async #event(user: string, kind: AuthEventKind, ip: string | null, detail: string): Promise<void> {
    await this.#d.store.appendEvent({ at: this.#d.clock.now(), user, kind, ip, detail });
  }
}
