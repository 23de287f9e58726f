import { copyToPostgres, type CopyOptions, type CopyResult } from "./run.ts";
import { openSqliteSource } from "./source.ts";
import { openPostgresTarget } from "./target.ts";

export { DEFAULT_BATCH_ROWS, type CopyOptions, type CopyProgress, type CopyResult, type TableResult } from "./run.ts";

/**
 * Copies a SQLite watch database (`from`, read-only, never changed) into the PostgreSQL store at
 * `to` (migrated to the newest schema first). Safe to run again: what is already there is not
 * copied twice, and a run that was stopped half-way completes. Throws StoreError when either side
 * cannot be opened (a missing file, a schema too new, the server down or refusing the password);
 * a copy that finished with tables not matching is a result, not an error.
 */
export async function migrateToPostgres(p: { from: string; to: string; password?: string } & CopyOptions): Promise<CopyResult> {
  const source = openSqliteSource(p.from);
  try {
    const target = await openPostgresTarget(p.to, p.password === undefined ? {} : { password: p.password });
    try {
      return await copyToPostgres(source, target, p);
    } finally {
      await target.end();
    }
  } finally {
    source.close();
  }
}
