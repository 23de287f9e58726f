import type { AuthEvent, SessionRecord, UserRecord } from "../auth/ports.ts";
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
