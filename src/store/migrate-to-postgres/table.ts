/**
 * How one SQLite table is copied into PostgreSQL, as data: the runner (run.ts) reads the SQLite
 * table in pages along a keyset, turns each page into column arrays and hands them to ONE
 * INSERT … SELECT FROM unnest(…) per batch, in its own transaction. Nothing here does I/O.
 *
 * Copying twice must copy nothing twice, and a run killed half-way must complete when started
 * again, with no progress kept anywhere but in the copied rows themselves:
 * - a table with a natural key inserts with ON CONFLICT DO NOTHING (or WHERE NOT EXISTS where a
 *   conflict would burn an identity value);
 * - a table whose rows have no natural key (incident events, backup codes, sign-in events) is
 *   append-only per group (an incident, a user): each row is numbered 1, 2, … within its group
 *   in SQLite's order (`rankWithin`), and a row is inserted only when its number is above the
 *   count its group already has in PostgreSQL. A batch commits whole or not at all, so what a
 *   group has there is always the first rows of SQLite's. Such tables are read in SQLite's own
 *   order (seq, id), so PostgreSQL hands out its identities in the same order: lists ordered by
 *   them come back alike, also across groups.
 * A row already in PostgreSQL is never changed: a run after the fleet took over cannot roll back
 * what the watchers wrote since.
 */

/** A row as better-sqlite3 gives it: column alias → value. */
export type Row = Readonly<Record<string, unknown>>;

/** One statement with its parameters (values are never spliced into SQL text). */
export interface Statement {
  sql: string;
  params?: readonly unknown[];
}

export interface TableCopy {
  /** The SQLite table; also its name in the report. */
  name: string;
  /** SQLite: the SELECT list (each alias a field of Row) and the FROM clause. */
  select: string;
  from: string;
  /** SQLite: the keyset, unique per row and served by an index: ORDER BY these… */
  order: readonly string[];
  /** …whose values a row holds in these fields (same length and order as `order`). */
  cursor: readonly string[];
  /** When set, rows are numbered within each value of this field, in keyset order (rankWithin below). */
  rankWithin?: string;
  /** PostgreSQL: run first in each batch's transaction (an advisory lock, say). */
  prelude?: readonly Statement[];
  /** PostgreSQL: one INSERT for the batch; its row count is what was copied. */
  insert: string;
  /** The INSERT's parameters for a batch; `ranks[i]` is row i's number when `rankWithin` is set. */
  params(rows: readonly Row[], ranks: readonly number[]): unknown[];
  /** How many rows the SQLite table holds (one number, column `n`). */
  countSqlite: string;
  /** How many of PostgreSQL's rows stand for SQLite's (one number, column `n`). */
  countPostgres: Statement;
}

/** The page query: the first page from the start, every later one after the previous page's last keyset. */
export function pageSql(t: TableCopy, after: boolean): string {
  const where = after ? ` WHERE (${t.order.join(", ")}) > (${t.order.map(() => "?").join(", ")})` : "";
  return `SELECT ${t.select} FROM ${t.from}${where} ORDER BY ${t.order.join(", ")} LIMIT ?`;
}

/** The keyset values of a page's last row, for the next page. */
export function cursorOf(t: TableCopy, row: Row): unknown[] {
  return t.cursor.map((f) => row[f]);
}

/**
 * Numbers rows 1, 2, … within each value of `field`, in page order, continuing the numbers of
 * earlier pages: `seen` holds each group's last number and is updated (one entry per group, so
 * memory grows with incidents or users, never with rows).
 */
export function rankWithin(rows: readonly Row[], field: string, seen: Map<unknown, number>): number[] {
  return rows.map((row) => {
    const rank = (seen.get(row[field]) ?? 0) + 1;
    seen.set(row[field], rank);
    return rank;
  });
}

/** A column of the batch, SQL NULL for a missing value. */
export function column(rows: readonly Row[], field: string): unknown[] {
  return rows.map((r) => r[field] ?? null);
}

/** A 0/1 INTEGER column of SQLite as PostgreSQL booleans. */
export function flag(rows: readonly Row[], field: string): boolean[] {
  return rows.map((r) => r[field] === 1);
}
