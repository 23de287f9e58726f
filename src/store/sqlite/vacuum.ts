import type Database from "better-sqlite3";

/**
 * Gives free pages back to the file system when they are more than a quarter of the file. In the
 * steady state compaction frees about an hour of raw probes and new probes reuse those pages, so
 * nothing is released; after a big drop (retention shortened, fleet shrunk) the file shrinks.
 * Needs auto_vacuum=INCREMENTAL (set when the file is created): no full VACUUM, no copy of the
 * database, only the freed pages move. Returns the pages released.
 */
export function releaseFreePages(db: Database.Database): number {
  const free = db.pragma("freelist_count", { simple: true }) as number;
  const total = db.pragma("page_count", { simple: true }) as number;
  if (free === 0 || free * 4 <= total) return 0;
  db.pragma(`incremental_vacuum(${free})`);
  return free - (db.pragma("freelist_count", { simple: true }) as number);
}
