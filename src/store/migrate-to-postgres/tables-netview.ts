import { NETVIEW_COLUMNS } from "../netview-record.ts";
import { column, type TableCopy } from "./table.ts";

/**
 * The network's view of each SmartNode: SQLite's migration 0006 → PostgreSQL's 0004, the same
 * columns. A node's row already in PostgreSQL is the fleet's newer verdict and is kept.
 */
export const netview: TableCopy = {
  name: "netview",
  select: NETVIEW_COLUMNS.join(", "),
  from: "netview",
  order: ["node_id"],
  cursor: ["node_id"],
  insert: `INSERT INTO netview (${NETVIEW_COLUMNS.join(", ")})
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::bigint[], $9::text[])
    ON CONFLICT (node_id) DO NOTHING`,
  params: (rows) => NETVIEW_COLUMNS.map((c) => column(rows, c)),
  countSqlite: "SELECT count(*) AS n FROM netview",
  countPostgres: { sql: "SELECT count(*) AS n FROM netview" },
};
