import type { Migration } from "../migrate.ts";

/**
 * Dashboard accounts, second factors, sessions and the sign-in audit trail. Frozen once released.
 * Secrets are never stored in clear: passwords as scrypt hashes, TOTP secrets sealed with
 * AES-256-GCM under a key kept beside the database (auth/secret-box.ts), backup codes and
 * session ids as SHA-256 hashes.
 */
export const migration0002: Migration = {
  version: 2,
  name: "auth",
  sql: `
CREATE TABLE auth_users (
  name TEXT PRIMARY KEY CHECK (name <> ''),
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  totp_secret TEXT,
  totp_enrolled_at INTEGER,
  totp_last_step INTEGER,
  pending_totp_secret TEXT,
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until INTEGER
) STRICT;

CREATE TABLE auth_backup_codes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user TEXT NOT NULL REFERENCES auth_users (name) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER
) STRICT;
CREATE INDEX auth_backup_codes_by_user ON auth_backup_codes (user);

CREATE TABLE auth_sessions (
  id_hash TEXT PRIMARY KEY,
  user TEXT NOT NULL REFERENCES auth_users (name) ON DELETE CASCADE,
  stage TEXT NOT NULL CHECK (stage IN ('password', 'enroll', 'full')),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) STRICT;
CREATE INDEX auth_sessions_by_user ON auth_sessions (user);

CREATE TABLE auth_events (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  user TEXT NOT NULL,
  kind TEXT NOT NULL,
  ip TEXT,
  detail TEXT NOT NULL
) STRICT;
CREATE INDEX auth_events_by_user ON auth_events (user, at);
`,
};
