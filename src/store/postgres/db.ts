import type { Pool, PoolClient, QueryResult, QueryResultRow } from "pg";
import { StoreError } from "../errors.ts";
import { isServerError, isStorageFault, translateFault, type FaultContext } from "./faults.ts";

/** One statement with its parameters (always parameters: no value is ever spliced into SQL text). */
export type Query = <R extends QueryResultRow = QueryResultRow>(sql: string, params?: readonly unknown[]) => Promise<QueryResult<R>>;

/**
 * The store's handle on the pool: every port method is one transaction (a single statement is
 * its own), and every failure leaves here translated (faults.ts). `write` runs READ COMMITTED
 * (row locks and ON CONFLICT do the rest); `read` runs REPEATABLE READ READ ONLY, so reads that
 * take several statements (an incident and its timeline) see one snapshot.
 */
export interface Db {
  query: Query;
  write<T>(fn: (q: Query) => Promise<T>): Promise<T>;
  read<T>(fn: (q: Query) => Promise<T>): Promise<T>;
  /** Starts ending the pool (idempotent); later calls fail as "unavailable". */
  close(): void;
  /** Ends the pool; resolves once every connection is closed. */
  end(): Promise<void>;
}

export function database(pool: Pool, ctx: FaultContext): Db {
  let ending: Promise<void> | null = null;
  const fail = (e: unknown) => translateFault(e, ctx);

  const inTransaction = async <T>(begin: string, fn: (q: Query) => Promise<T>): Promise<T> => {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw fail(e);
    }
    // A connection that failed (not a statement the server refused) is dropped, never reused.
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await fn((sql, params) => client.query(sql, params as unknown[]));
      await client.query("COMMIT");
      return result;
    } catch (e) {
      if (isServerError(e) || e instanceof StoreError || !isStorageFault(fail(e))) {
        try {
          await client.query("ROLLBACK");
        } catch (r) {
          broken = r instanceof Error ? r : new Error(String(r));
        }
      } else {
        broken = e instanceof Error ? e : new Error(String(e));
      }
      throw fail(e);
    } finally {
      client.release(broken);
    }
  };

  const close = () => {
    ending ??= pool.end().catch(() => {});
    return ending;
  };

  return {
    async query(sql, params) {
      try {
        return await pool.query(sql, params as unknown[]);
      } catch (e) {
        throw fail(e);
      }
    },
    write: (fn) => inTransaction("BEGIN", fn),
    read: (fn) => inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn),
    close() {
      void close();
    },
    end: close,
  };
}
