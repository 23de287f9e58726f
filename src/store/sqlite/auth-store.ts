import type Database from "better-sqlite3";
import { releaseAttempt, reserveAttempt, type AttemptCounter } from "../../auth/attempts.ts";
import type { AccountPolicy } from "../../auth/throttle.ts";
import type { AuthEvent, AuthEventKind, AuthStore, SessionRecord, SessionStage, UserPatch, UserRecord } from "../../auth/ports.ts";
import { checkLimit } from "../arguments.ts";
import { checkEvent, checkNewUser, checkSession, userNotFound, userTaken, toUser, USER_COLUMNS, type UserRow } from "../auth-record.ts";
import { openMigrated } from "./migrated.ts";

/** auth_users, auth_backup_codes, auth_sessions, auth_events (migration 0002). */


interface SessionRow {
  id_hash: string;
  user: string;
  stage: SessionStage;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
}



const toSession = (r: SessionRow): SessionRecord => ({
  idHash: r.id_hash,
  user: r.user,
  stage: r.stage,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
});

/** The auth port on its own connection to the daemon's database file (migrated to the newest schema). */
export function openSqliteAuthStore(path: string): AuthStore & { close(): void } {
  const db = openMigrated(path);
  return Object.assign(sqliteAuthStore(db), {
    close() {
      if (db.open) db.close();
    },
  });
}

export function sqliteAuthStore(db: Database.Database): AuthStore {
  const exists = db.prepare<[string], number>("SELECT 1 FROM auth_users WHERE name = ?").pluck();
  const insertUser = db.prepare(
    `INSERT INTO auth_users (name, password_hash, created_at, totp_secret, totp_enrolled_at, totp_last_step, pending_totp_secret, failed_attempts, locked_until)
     VALUES (@name, @passwordHash, @createdAt, @totpSecret, @totpEnrolledAt, @totpLastStep, @pendingTotpSecret, @failedAttempts, @lockedUntil)`,
  );
  const oneUser = db.prepare<[string], UserRow>("SELECT * FROM auth_users WHERE name = ?");
  const allUsers = db.prepare<[], UserRow>("SELECT * FROM auth_users ORDER BY name");
  const counterOf = db.prepare<[string], { failed_attempts: number; locked_until: number | null }>("SELECT failed_attempts, locked_until FROM auth_users WHERE name = ?");
  const setCounter = db.prepare<[number, number | null, string]>("UPDATE auth_users SET failed_attempts = ?, locked_until = ? WHERE name = ?");
  const acceptStep = db.prepare<[number, string, number]>(
    "UPDATE auth_users SET totp_last_step = ? WHERE name = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
  );
  const resetStep = db.prepare<[string]>("UPDATE auth_users SET totp_last_step = NULL WHERE name = ?");
  const deleteCodes = db.prepare<[string]>("DELETE FROM auth_backup_codes WHERE user = ?");
  const insertCode = db.prepare<[string, string, number]>("INSERT INTO auth_backup_codes (user, hash, created_at) VALUES (?, ?, ?)");
  const listCodes = db.prepare<[string], { id: number; hash: string; used_at: number | null }>("SELECT id, hash, used_at FROM auth_backup_codes WHERE user = ? ORDER BY id");
  const useCode = db.prepare<[number, string, number]>("UPDATE auth_backup_codes SET used_at = ? WHERE user = ? AND id = ? AND used_at IS NULL");
  const insertSession = db.prepare<[string, string, string, string, number, number]>(
    "INSERT INTO auth_sessions (id_hash, user, stage, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const oneSession = db.prepare<[string], SessionRow>("SELECT * FROM auth_sessions WHERE id_hash = ?");
  const touch = db.prepare<[number, string]>("UPDATE auth_sessions SET last_seen_at = ? WHERE id_hash = ?");
  const dropSession = db.prepare<[string]>("DELETE FROM auth_sessions WHERE id_hash = ?");
  const dropExpired = db.prepare<[number, number]>("DELETE FROM auth_sessions WHERE created_at < ? OR last_seen_at < ?");
  const dropUserSessions = db.prepare<[string]>("DELETE FROM auth_sessions WHERE user = ?");
  const insertEvent = db.prepare<[number, string, AuthEventKind, string | null, string]>("INSERT INTO auth_events (at, user, kind, ip, detail) VALUES (?, ?, ?, ?, ?)");
  const listEvents = db.prepare<{ user: string | null; limit: number }, AuthEvent>(
    "SELECT at, user, kind, ip, detail FROM auth_events WHERE (@user IS NULL OR user = @user) ORDER BY at DESC, seq DESC LIMIT @limit",
  );

  const create = db.transaction((u: UserRecord) => {
    if (exists.get(u.name) !== undefined) throw userTaken(u.name);
    insertUser.run(u);
  });
  const update = db.transaction((name: string, patch: UserPatch) => {
    if (exists.get(name) === undefined) throw userNotFound(name);
    const entries = (Object.keys(USER_COLUMNS) as (keyof UserPatch)[]).filter((k) => patch[k] !== undefined);
    if (entries.length === 0) return;
    const sql = `UPDATE auth_users SET ${entries.map((k) => `${USER_COLUMNS[k]} = @${k}`).join(", ")} WHERE name = @name`;
    db.prepare(sql).run({ ...Object.fromEntries(entries.map((k) => [k, patch[k]])), name });
  });
  const counter = (name: string): AttemptCounter => {
    const r = counterOf.get(name);
    if (r === undefined) throw userNotFound(name);
    return { failedAttempts: r.failed_attempts, lockedUntil: r.locked_until };
  };
  // Read and write in one IMMEDIATE transaction: another process's slot cannot slip in between.
  const reserve = db.transaction((name: string, now: number, policy: AccountPolicy) => {
    const { counter: next, reservation } = reserveAttempt(counter(name), now, policy);
    if (reservation.ok) setCounter.run(next.failedAttempts, next.lockedUntil, name);
    return reservation;
  });
  const release = db.transaction((name: string, policy: AccountPolicy) => {
    const next = releaseAttempt(counter(name), policy);
    setCounter.run(next.failedAttempts, next.lockedUntil, name);
  });
  const replaceCodes = db.transaction((name: string, hashes: readonly string[], now: number) => {
    if (exists.get(name) === undefined) throw userNotFound(name);
    deleteCodes.run(name);
    for (const h of hashes) insertCode.run(name, h, now);
  });

  return {
    async createUser(u) {
      checkNewUser(u);
      create.immediate(u);
    },
    async getUser(name) {
      const r = oneUser.get(name);
      return r === undefined ? null : toUser(r);
    },
    async listUsers() {
      return allUsers.all().map(toUser);
    },
    async updateUser(name, patch) {
      update.immediate(name, patch);
    },
    async reserveAttempt(name, now, policy) {
      return reserve.immediate(name, now, policy);
    },
    async releaseAttempt(name, policy) {
      release.immediate(name, policy);
    },
    async acceptTotpStep(name, step) {
      if (exists.get(name) === undefined) throw userNotFound(name);
      return acceptStep.run(step, name, step).changes === 1;
    },
    async resetTotpStep(name) {
      if (resetStep.run(name).changes === 0) throw userNotFound(name);
    },
    async replaceBackupCodes(name, hashes, now) {
      replaceCodes.immediate(name, hashes, now);
    },
    async backupCodes(name) {
      return listCodes.all(name).map((r) => ({ id: r.id, hash: r.hash, usedAt: r.used_at }));
    },
    async useBackupCode(name, id, now) {
      return useCode.run(now, name, id).changes === 1;
    },
    async createSession(s) {
      checkSession(s);
      if (exists.get(s.user) === undefined) throw userNotFound(s.user);
      insertSession.run(s.idHash, s.user, s.stage, s.csrfToken, s.createdAt, s.lastSeenAt);
    },
    async getSession(idHash) {
      const r = oneSession.get(idHash);
      return r === undefined ? null : toSession(r);
    },
    async touchSession(idHash, lastSeenAt) {
      touch.run(lastSeenAt, idHash);
    },
    async deleteSession(idHash) {
      dropSession.run(idHash);
    },
    async deleteExpiredSessions(createdBefore, idleBefore) {
      return dropExpired.run(createdBefore, idleBefore).changes;
    },
    async deleteUserSessions(name) {
      return dropUserSessions.run(name).changes;
    },
    async appendEvent(e) {
      checkEvent(e);
      insertEvent.run(e.at, e.user, e.kind, e.ip, e.detail);
    },
    async events(filter) {
      checkLimit(filter.limit);
      return listEvents.all({ user: filter.user ?? null, limit: filter.limit });
    },
  };
}
