import { releaseAttempt, reserveAttempt, type AttemptCounter } from "../../auth/attempts.ts";
import type { AuthStore, UserPatch } from "../../auth/ports.ts";
import { checkNewUser, userNotFound, userTaken, toUser, USER_COLUMNS, type UserRow } from "../auth-record.ts";
import { postgresAuthSessions } from "./auth-sessions.ts";
import type { Db, Query } from "./db.ts";

/**
 * The auth port (auth_users, auth_backup_codes; sessions and events in auth-sessions.ts). The
 * attempt counter is read FOR UPDATE and written in the same transaction, so reservations made at
 * once by several processes (or watchers) are counted one after the other, never both from the
 * same old count.
 */




async function lockedCounter(q: Query, name: string): Promise<AttemptCounter> {
  const r = (await q<{ failed_attempts: number; locked_until: number | null }>("SELECT failed_attempts, locked_until FROM auth_users WHERE name = $1 FOR UPDATE", [name])).rows[0];
  if (r === undefined) throw userNotFound(name);
  return { failedAttempts: r.failed_attempts, lockedUntil: r.locked_until };
}

const setCounter = (q: Query, name: string, c: AttemptCounter) =>
  q("UPDATE auth_users SET failed_attempts = $1, locked_until = $2 WHERE name = $3", [c.failedAttempts, c.lockedUntil, name]);

export function postgresAuthStore(db: Db): AuthStore {
  return {
    async createUser(u) {
      checkNewUser(u);
      const r = await db.query(
        `INSERT INTO auth_users (name, password_hash, created_at, totp_secret, totp_enrolled_at, totp_last_step, pending_totp_secret, failed_attempts, locked_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (name) DO NOTHING`,
        [u.name, u.passwordHash, u.createdAt, u.totpSecret, u.totpEnrolledAt, u.totpLastStep, u.pendingTotpSecret, u.failedAttempts, u.lockedUntil],
      );
      if (r.rowCount !== 1) throw userTaken(u.name);
    },
    async getUser(name) {
      const r = (await db.query<UserRow>("SELECT * FROM auth_users WHERE name = $1", [name])).rows[0];
      return r === undefined ? null : toUser(r);
    },
    async listUsers() {
      return (await db.query<UserRow>('SELECT * FROM auth_users ORDER BY name COLLATE "C"')).rows.map(toUser);
    },
    async updateUser(name, patch) {
      const keys = (Object.keys(USER_COLUMNS) as (keyof UserPatch)[]).filter((k) => patch[k] !== undefined);
      const sets = keys.map((k, i) => `${USER_COLUMNS[k]} = $${i + 2}`);
      // With nothing to set, the statement still says whether the user exists.
      const sql = sets.length === 0 ? "SELECT 1 FROM auth_users WHERE name = $1" : `UPDATE auth_users SET ${sets.join(", ")} WHERE name = $1`;
      const r = await db.query(sql, [name, ...keys.map((k) => patch[k])]);
      if (r.rowCount === 0) throw userNotFound(name);
    },
    async reserveAttempt(name, now, policy) {
      return db.write(async (q) => {
        const { counter: next, reservation } = reserveAttempt(await lockedCounter(q, name), now, policy);
        if (reservation.ok) await setCounter(q, name, next);
        return reservation;
      });
    },
    async releaseAttempt(name, policy) {
      await db.write(async (q) => setCounter(q, name, releaseAttempt(await lockedCounter(q, name), policy)));
    },
    async acceptTotpStep(name, step) {
      // One statement: the step is taken only if it is later than the stored one; the outer SELECT says whether the user exists.
      const r = await db.query<{ accepted: boolean }>(
        `WITH accepted AS (
           UPDATE auth_users SET totp_last_step = $2 WHERE name = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING 1
         )
         SELECT EXISTS (SELECT 1 FROM accepted) AS accepted FROM auth_users WHERE name = $1`,
        [name, step],
      );
      if (r.rows[0] === undefined) throw userNotFound(name);
      return r.rows[0].accepted;
    },
    async resetTotpStep(name) {
      if ((await db.query("UPDATE auth_users SET totp_last_step = NULL WHERE name = $1", [name])).rowCount === 0) throw userNotFound(name);
    },
    async replaceBackupCodes(name, hashes, now) {
      await db.write(async (q) => {
        if ((await q("SELECT 1 FROM auth_users WHERE name = $1 FOR UPDATE", [name])).rowCount === 0) throw userNotFound(name);
        await q("DELETE FROM auth_backup_codes WHERE user_name = $1", [name]);
        await q("INSERT INTO auth_backup_codes (user_name, hash, created_at) SELECT $1, h, $3 FROM unnest($2::text[]) WITH ORDINALITY AS t(h, ord) ORDER BY ord", [name, [...hashes], now]);
      });
    },
    async backupCodes(name) {
      const { rows } = await db.query<{ id: number; hash: string; used_at: number | null }>("SELECT id, hash, used_at FROM auth_backup_codes WHERE user_name = $1 ORDER BY id", [name]);
      return rows.map((r) => ({ id: r.id, hash: r.hash, usedAt: r.used_at }));
    },
    async useBackupCode(name, id, now) {
      const r = await db.query("UPDATE auth_backup_codes SET used_at = $1 WHERE user_name = $2 AND id = $3 AND used_at IS NULL", [now, name, id]);
      return r.rowCount === 1;
    },
    ...postgresAuthSessions(db),
  };
}
