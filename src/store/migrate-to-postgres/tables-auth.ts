import { column, type Row, type TableCopy } from "./table.ts";

/**
 * Dashboard accounts: SQLite's migration 0002 → PostgreSQL's 0002 (the `user` column is
 * `user_name` there). Hashes and sealed TOTP secrets travel as they are: nothing is opened. The
 * seal's key is the file auth.key beside the SQLite database, not in it (docs/fleet.md).
 */

const columns = (rows: readonly Row[], fields: readonly string[]) => fields.map((f) => column(rows, f));

const USER = ["name", "password_hash", "created_at", "totp_secret", "totp_enrolled_at", "totp_last_step", "pending_totp_secret", "failed_attempts", "locked_until"] as const;

export const authUsers: TableCopy = {
  name: "auth_users",
  select: USER.join(", "),
  from: "auth_users",
  order: ["name"],
  cursor: ["name"],
  insert: `INSERT INTO auth_users (${USER.join(", ")})
    SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::bigint[], $9::bigint[])
    ON CONFLICT (name) DO NOTHING`,
  params: (rows) => columns(rows, USER),
  countSqlite: "SELECT count(*) AS n FROM auth_users",
  countPostgres: { sql: "SELECT count(*) AS n FROM auth_users" },
};

/** A user's codes are replaced as a set, never edited one by one: the user's first n codes are the copied ones (table.ts). */
export const authBackupCodes: TableCopy = {
  name: "auth_backup_codes",
  select: "id, user, hash, created_at, used_at",
  from: "auth_backup_codes",
  order: ["id"],
  cursor: ["id"],
  rankWithin: "user",
  insert: `INSERT INTO auth_backup_codes (user_name, hash, created_at, used_at)
    SELECT t.user_name, t.hash, t.created_at, t.used_at
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS t(user_name, hash, created_at, used_at, rank, ord)
    WHERE t.rank > (SELECT count(*) FROM auth_backup_codes c WHERE c.user_name = t.user_name)
    ORDER BY t.ord`,
  params: (rows, ranks) => [...columns(rows, ["user", "hash", "created_at", "used_at"]), ranks],
  countSqlite: "SELECT count(*) AS n FROM auth_backup_codes",
  countPostgres: { sql: "SELECT count(*) AS n FROM auth_backup_codes" },
};

const SESSION = ["id_hash", "user", "stage", "csrf_token", "created_at", "last_seen_at"] as const;

export const authSessions: TableCopy = {
  name: "auth_sessions",
  select: SESSION.join(", "),
  from: "auth_sessions",
  order: ["id_hash"],
  cursor: ["id_hash"],
  insert: `INSERT INTO auth_sessions (id_hash, user_name, stage, csrf_token, created_at, last_seen_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
    ON CONFLICT (id_hash) DO NOTHING`,
  params: (rows) => columns(rows, SESSION),
  countSqlite: "SELECT count(*) AS n FROM auth_sessions",
  countPostgres: { sql: "SELECT count(*) AS n FROM auth_sessions" },
};

/** The sign-in trail only grows: a user's first n events are the copied ones (table.ts). */
export const authEvents: TableCopy = {
  name: "auth_events",
  select: "seq, user, at, kind, ip, detail",
  from: "auth_events",
  order: ["seq"],
  cursor: ["seq"],
  rankWithin: "user",
  insert: `INSERT INTO auth_events (at, user_name, kind, ip, detail)
    SELECT t.at, t.user_name, t.kind, t.ip, t.detail
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) WITH ORDINALITY AS t(at, user_name, kind, ip, detail, rank, ord)
    WHERE t.rank > (SELECT count(*) FROM auth_events e WHERE e.user_name = t.user_name)
    ORDER BY t.ord`,
  params: (rows, ranks) => [...columns(rows, ["at", "user", "kind", "ip", "detail"]), ranks],
  countSqlite: "SELECT count(*) AS n FROM auth_events",
  countPostgres: { sql: "SELECT count(*) AS n FROM auth_events" },
};
