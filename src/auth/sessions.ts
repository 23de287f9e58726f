import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../core/clock.ts";
import type { AuthStore, SessionRecord, SessionStage } from "./ports.ts";

/**
 * Sign-in sessions: a 256-bit random id that only the browser keeps (the store has its SHA-256),
 * a CSRF token per session, an idle and an absolute expiry, and a short life for the half-way
 * stages (password given, code not yet). Time comes from the injected clock.
 */

export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
  /** Life of a "password" or "enroll" session. */
  pendingMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000, pendingMs: 10 * 60_000 };

export function hashSessionId(id: string): string {
  return createHash("sha256").update(id).digest("hex");
}

/** Constant-time equality of two tokens (CSRF, cookies). */
export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export class Sessions {
  readonly #store: AuthStore;
  readonly #clock: Pick<Clock, "now">;
  readonly policy: SessionPolicy;

  constructor(store: AuthStore, clock: Pick<Clock, "now">, policy: SessionPolicy = DEFAULT_SESSION_POLICY) {
    this.#store = store;
    this.#clock = clock;
    this.policy = policy;
  }

  /** A new session; the returned id goes into the cookie and nowhere else. */
  async create(user: string, stage: SessionStage): Promise<{ id: string; session: SessionRecord }> {
    const id = randomToken();
    const now = this.#clock.now();
    const session: SessionRecord = { idHash: hashSessionId(id), user, stage, csrfToken: randomToken(), createdAt: now, lastSeenAt: now };
    await this.#store.createSession(session);
    return { id, session };
  }

  /** The live session for a cookie value, touched; null (and deleted) when expired or unknown. */
  async resolve(id: string | undefined): Promise<SessionRecord | null> {
    if (id === undefined || !/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const idHash = hashSessionId(id);
    const s = await this.#store.getSession(idHash);
    if (s === null) return null;
    const now = this.#clock.now();
    const maxMs = s.stage === "full" ? this.policy.maxMs : this.policy.pendingMs;
    if (now - s.createdAt >= maxMs || now - s.lastSeenAt >= this.policy.idleMs) {
      await this.#store.deleteSession(idHash);
      return null;
    }
    await this.#store.touchSession(idHash, now);
    return { ...s, lastSeenAt: now };
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id !== undefined) await this.#store.deleteSession(hashSessionId(id));
  }

  /** Deletes every expired session (called now and then by the dashboard). */
  async sweep(): Promise<number> {
    const now = this.#clock.now();
    return this.#store.deleteExpiredSessions(now - this.policy.maxMs, now - this.policy.idleMs);
  }
}
