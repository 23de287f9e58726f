import type { PgMigration } from "../migrate.ts";

/**
 * Dashboard accounts, second factors, sessions and the sign-in audit trail, as SQLite's 0002.
 * Frozen once released. Secrets are never stored in clear: passwords as scrypt hashes, TOTP
 * secrets sealed (auth/secret-box.ts), backup codes and session ids as SHA-256 hashes. The user
 * column is `user_name` ("user" is reserved in PostgreSQL).
 */
export const migration0002: PgMigration = {
  version: 2,
  name: "auth",
  sql: `
CREATE TABLE auth_users (
  name text PRIMARY KEY CHECK (name <> ''),
  password_hash text NOT NULL,
  created_at bigint NOT NULL,
  totp_secret text,
  totp_enrolled_at bigint,
  totp_last_step bigint,
  pending_totp_secret text,
  failed_attempts bigint NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until bigint
);

CREATE TABLE auth_backup_codes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_name text NOT NULL REFERENCES auth_users (name) ON DELETE CASCADE,
  hash text NOT NULL,
  created_at bigint NOT NULL,
  used_at bigint
);
CREATE INDEX auth_backup_codes_by_user ON auth_backup_codes (user_name);

CREATE TABLE auth_sessions (
  id_hash text PRIMARY KEY,
  user_name text NOT NULL REFERENCES auth_users (name) ON DELETE CASCADE,
  stage text NOT NULL CHECK (stage IN ('password', 'enroll', 'full')),
  csrf_token text NOT NULL,
  created_at bigint NOT NULL,
  last_seen_at bigint NOT NULL
);
CREATE INDEX auth_sessions_by_user ON auth_sessions (user_name);

CREATE TABLE auth_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at bigint NOT NULL,
  user_name text NOT NULL,
  kind text NOT NULL,
  ip text,
  detail text NOT NULL
);
CREATE INDEX auth_events_by_user ON auth_events (user_name, at);
`,
};
