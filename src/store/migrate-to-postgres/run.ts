import { performance } from "node:perf_hooks";
import type { SqliteSource } from "./source.ts";
import { rankWithin } from "./table.ts";
import { TABLES } from "./tables.ts";
import type { PostgresTarget } from "./target.ts";

/**
 * The copy, table after table (tables.ts), `batchRows` rows a transaction: a page of SQLite is
 * read, inserted and committed before the next is read, so memory holds one page whatever the
 * table's size, and a run stopped anywhere (kill -9, the database gone) leaves whole batches
 * behind, which the next run skips (table.ts says how). Then each table is counted on both sides.
 */

export const DEFAULT_BATCH_ROWS = 5_000;

export interface TableResult {
  table: string;
  /** Rows in the SQLite file (in the run's snapshot). */
  sqlite: number;
  /** Rows this run inserted. */
  copied: number;
  /** Rows in PostgreSQL standing for the file's (table.ts countPostgres), after the copy. */
  postgres: number;
  match: boolean;
}

export interface CopyResult {
  source: string;
  target: string;
  tables: TableResult[];
  /** Every table matches. */
  match: boolean;
  /** Rows read from SQLite and inserted into PostgreSQL by this run. */
  read: number;
  copied: number;
  ms: number;
}

export interface CopyProgress {
  table: string;
  /** Rows of the table read so far, of `total`. */
  read: number;
  total: number;
  copied: number;
}

export interface CopyOptions {
  batchRows?: number;
  /** After each committed batch (a progress line). Throwing stops the run there, as an interruption would. */
  onBatch?: (p: CopyProgress) => void;
  /** Monotonic milliseconds, for `ms`. */
  now?: () => number;
}

export async function copyToPostgres(source: SqliteSource, target: PostgresTarget, opts: CopyOptions = {}): Promise<CopyResult> {
  const size = opts.batchRows ?? DEFAULT_BATCH_ROWS;
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`batchRows must be a whole number ≥ 1, got ${size}`);
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const tables: TableResult[] = [];
  let read = 0;
  for (const t of TABLES) {
    const total = source.count(t);
    let done = 0;
    let copied = 0;
    const seen = new Map<unknown, number>();
    for (const page of source.pages(t, size)) {
      const ranks = t.rankWithin === undefined ? [] : rankWithin(page, t.rankWithin, seen);
      copied += await target.insert(t, t.params(page, ranks));
      done += page.length;
      opts.onBatch?.({ table: t.name, read: done, total, copied });
    }
    read += done;
    const postgres = await target.count(t);
    tables.push({ table: t.name, sqlite: total, copied, postgres, match: total === postgres });
  }
  return {
    source: source.path,
    target: target.target,
    tables,
    match: tables.every((t) => t.match),
    read,
    copied: tables.reduce((sum, t) => sum + t.copied, 0),
    ms: now() - started,
  };
}
