import { releaseAttempt, reserveAttempt } from "../../auth/attempts.ts";
import type { AuthEvent, AuthStore, BackupCodeRecord, SessionRecord, UserRecord } from "../../auth/ports.ts";
import { checkLimit } from "../arguments.ts";
import { checkEvent, checkNewUser, checkSession, userNotFound, userTaken } from "../auth-record.ts";

/** The auth port in memory (unit tests): the same behaviour as SQLite, nothing durable. */
export function memoryAuthStore(): AuthStore {
  const users = new Map<string, UserRecord>();
  const codes = new Map<string, BackupCodeRecord[]>();
  const sessions = new Map<string, SessionRecord>();
  const events: AuthEvent[] = [];
  let nextCode = 1;

  const user = (name: string): UserRecord => {
    const u = users.get(name);
    if (u === undefined) throw userNotFound(name);
    return u;
  };
  const dropSessions = (name: string) => {
    let n = 0;
    for (const [k, s] of sessions) if (s.user === name && sessions.delete(k)) n++;
    return n;
  };

  return {
    async createUser(u) {
      checkNewUser(u);
      if (users.has(u.name)) throw userTaken(u.name);
      users.set(u.name, { ...u });
    },
    async getUser(name) {
      const u = users.get(name);
      return u === undefined ? null : { ...u };
    },
    async listUsers() {
      return [...users.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((u) => ({ ...u }));
    },
    async updateUser(name, patch) {
      const u = user(name);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      users.set(name, { ...u, ...defined });
    },
    async reserveAttempt(name, now, policy) {
      const u = user(name);
      const { counter, reservation } = reserveAttempt(u, now, policy);
      users.set(name, { ...u, ...counter });
      return reservation;
    },
    async releaseAttempt(name, policy) {
      const u = user(name);
      users.set(name, { ...u, ...releaseAttempt(u, policy) });
    },
    async acceptTotpStep(name, step) {
      const u = user(name);
      if (u.totpLastStep !== null && u.totpLastStep >= step) return false;
      users.set(name, { ...u, totpLastStep: step });
      return true;
    },
    async resetTotpStep(name) {
      users.set(name, { ...user(name), totpLastStep: null });
    },
    async replaceBackupCodes(name, hashes) {
      user(name);
      codes.set(name, hashes.map((hash) => ({ id: nextCode++, hash, usedAt: null })));
    },
    async backupCodes(name) {
      return (codes.get(name) ?? []).map((c) => ({ ...c }));
    },
    async useBackupCode(name, id, now) {
      const c = (codes.get(name) ?? []).find((x) => x.id === id);
      if (c === undefined || c.usedAt !== null) return false;
      c.usedAt = now;
      return true;
    },
    async createSession(s) {
      checkSession(s);
      user(s.user);
      sessions.set(s.idHash, { ...s });
    },
    async getSession(idHash) {
      const s = sessions.get(idHash);
      return s === undefined ? null : { ...s };
    },
    async touchSession(idHash, lastSeenAt) {
      const s = sessions.get(idHash);
      if (s !== undefined) s.lastSeenAt = lastSeenAt;
    },
    async deleteSession(idHash) {
      sessions.delete(idHash);
    },
    async deleteExpiredSessions(createdBefore, idleBefore) {
      let n = 0;
      for (const [k, s] of sessions) if ((s.createdAt < createdBefore || s.lastSeenAt < idleBefore) && sessions.delete(k)) n++;
      return n;
    },
    async deleteUserSessions(name) {
      return dropSessions(name);
    },
    async appendEvent(e) {
      checkEvent(e);
      events.push({ ...e });
    },
    async events(filter) {
      checkLimit(filter.limit);
      return events
        .map((e, seq) => ({ e, seq }))
        .filter(({ e }) => filter.user === undefined || e.user === filter.user)
        .sort((a, b) => b.e.at - a.e.at || b.seq - a.seq)
        .slice(0, filter.limit)
        .map(({ e }) => ({ ...e }));
    },
  };
}
