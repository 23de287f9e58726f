import type * as Pg from "pg";

/**
 * The PostgreSQL client, loaded on first use. The CLI is one bundle (scripts/build.mjs) in which
 * a static import of a package runs at start-up even inside a module imported dynamically: `pg`
 * would cost every command ~90 ms, though only a fleet's commands use it. So nothing imports its
 * values statically; openPostgresStore loads it here first.
 */
export type PgModule = typeof Pg;

let loaded: PgModule | undefined;

export async function loadPg(): Promise<PgModule> {
  if (loaded === undefined) {
    const m = (await import("pg")) as unknown as PgModule & { default?: PgModule };
    loaded = m.default ?? m;
  }
  return loaded;
}

/** The client once loaded; undefined before (then no error can have come from it). */
export function loadedPg(): PgModule | undefined {
  return loaded;
}
