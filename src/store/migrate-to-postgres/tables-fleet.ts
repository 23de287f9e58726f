import { column, flag, type TableCopy } from "./table.ts";

/**
 * The fleet's heartbeats and leases: SQLite's migration 0005 → PostgreSQL's 0003. The file's
 * vantage is the single watcher ("local"); its lease row keeps the token count going, so the
 * fleet's first leader gets a larger token than any the single watcher held.
 */

export const vantages: TableCopy = {
  name: "vantages",
  select: "name, region, holder, started_at, seen_at, healthy, detail",
  from: "vantages",
  order: ["name"],
  cursor: ["name"],
  insert: `INSERT INTO vantages (name, region, holder, started_at, seen_at, healthy, detail)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::boolean[], $7::text[])
    ON CONFLICT (name) DO NOTHING`,
  params: (rows) => [...["name", "region", "holder", "started_at", "seen_at"].map((f) => column(rows, f)), flag(rows, "healthy"), column(rows, "detail")],
  countSqlite: "SELECT count(*) AS n FROM vantages",
  countPostgres: { sql: "SELECT count(*) AS n FROM vantages" },
};

export const leases: TableCopy = {
  name: "leases",
  select: "name, holder, token, expires_at",
  from: "leases",
  order: ["name"],
  cursor: ["name"],
  insert: `INSERT INTO leases (name, holder, token, expires_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
    ON CONFLICT (name) DO NOTHING`,
  params: (rows) => ["name", "holder", "token", "expires_at"].map((f) => column(rows, f)),
  countSqlite: "SELECT count(*) AS n FROM leases",
  countPostgres: { sql: "SELECT count(*) AS n FROM leases" },
};
