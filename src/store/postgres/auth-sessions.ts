import type { AuthEvent, AuthStore, SessionRecord, SessionStage } from "../../auth/ports.ts";
import { checkLimit } from "../arguments.ts";
import { checkEvent, checkSession, userNotFound } from "../auth-record.ts";
import type { Db } from "./db.ts";
import { isServerError } from "./faults.ts";

/** The auth port's sessions (auth_sessions, by the SHA-256 of the id) and its audit trail (auth_events). */

type SessionMethods =
  | "createSession"
  | "getSession"
  | "touchSession"
  | "deleteSession"
  | "deleteExpiredSessions"
  | "deleteUserSessions"
  | "appendEvent"
  | "events";

interface SessionRow {
  id_hash: string;
  user_name: string;
  stage: SessionStage;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
}

const toSession = (r: SessionRow): SessionRecord => ({
  idHash: r.id_hash,
  user: r.user_name,
  stage: r.stage,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
});

/** foreign_key_violation: the session's user does not exist (or was deleted meanwhile). */
const FOREIGN_KEY_VIOLATION = "23503";

export function postgresAuthSessions(db: Db): Pick<AuthStore, SessionMethods> {
  return {
    async createSession(s) {
      checkSession(s);
      try {
        await db.query("INSERT INTO auth_sessions (id_hash, user_name, stage, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)", [
          s.idHash,
          s.user,
          s.stage,
          s.csrfToken,
          s.createdAt,
          s.lastSeenAt,
        ]);
      } catch (e) {
        if (isServerError(e) && e.code === FOREIGN_KEY_VIOLATION) throw userNotFound(s.user);
        throw e;
      }
    },
    async getSession(idHash) {
      const r = (await db.query<SessionRow>("SELECT * FROM auth_sessions WHERE id_hash = $1", [idHash])).rows[0];
      return r === undefined ? null : toSession(r);
    },
    async touchSession(idHash, lastSeenAt) {
      await db.query("UPDATE auth_sessions SET last_seen_at = $1 WHERE id_hash = $2", [lastSeenAt, idHash]);
    },
    async deleteSession(idHash) {
      await db.query("DELETE FROM auth_sessions WHERE id_hash = $1", [idHash]);
    },
    async deleteExpiredSessions(createdBefore, idleBefore) {
      return (await db.query("DELETE FROM auth_sessions WHERE created_at < $1 OR last_seen_at < $2", [createdBefore, idleBefore])).rowCount ?? 0;
    },
    async deleteUserSessions(name) {
      return (await db.query("DELETE FROM auth_sessions WHERE user_name = $1", [name])).rowCount ?? 0;
    },
    async appendEvent(e) {
      checkEvent(e);
      await db.query("INSERT INTO auth_events (at, user_name, kind, ip, detail) VALUES ($1, $2, $3, $4, $5)", [e.at, e.user, e.kind, e.ip, e.detail]);
    },
    async events(filter) {
      checkLimit(filter.limit);
      const { rows } = await db.query<AuthEvent>(
        `SELECT at, user_name AS "user", kind, ip, detail FROM auth_events
         WHERE $1::text IS NULL OR user_name = $1::text ORDER BY at DESC, seq DESC LIMIT $2`,
        [filter.user ?? null, filter.limit],
      );
      return rows;
    },
  };
}
