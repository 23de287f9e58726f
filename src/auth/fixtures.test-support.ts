import { randomBytes } from "node:crypto";
import { memoryAuthStore } from "../store/memory/auth-store.ts";
import type { AuthStore } from "./ports.ts";
import { secretBox } from "./secret-box.ts";
import { AuthService, type AuthServiceDeps, type BackupCodeUse } from "./service.ts";
import { totpCode } from "./totp.ts";

/** For tests: a clock that only moves when told, and an AuthService on it over a memory store. */
export class ManualClock {
  t: number;
  constructor(t: number) {
    this.t = t;
  }
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export function testAuth(t0 = Date.UTC(2026, 0, 1, 12, 0, 10), over: Partial<AuthServiceDeps> = {}): { auth: AuthService; store: AuthStore; clock: ManualClock; backupUses: BackupCodeUse[] } {
  const clock = new ManualClock(t0);
  const store = over.store ?? memoryAuthStore();
  const backupUses: BackupCodeUse[] = [];
  const auth = new AuthService({ store, box: secretBox(randomBytes(32)), clock, onBackupCodeUsed: async (u) => void backupUses.push(u), ...over });
  return { auth, store, clock, backupUses };
}

/** Adds a user and confirms an authenticator; returns its secret and backup codes. */
export async function enrolledUser(auth: AuthService, clock: ManualClock, name = "alice", password = "correct horse battery"): Promise<{ secret: string; backupCodes: string[] }> {
  await auth.addUser(name, password);
  const { secret } = await auth.startEnrolment(name);
  const r = await auth.confirmEnrolment(name, totpCode(secret, clock.now()));
  if (!r.ok) throw new Error("enrolment failed");
  clock.advance(30_000);
  return { secret, backupCodes: r.backupCodes };
}
