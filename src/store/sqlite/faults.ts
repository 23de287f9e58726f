/**
 * Which SQLite failures are the storage's (disk full, I/O errors, a file gone read-only or locked
 * by another process, a damaged file) rather than the caller's (a constraint, a bad argument). The
 * daemon holds its writes back through the first kind and retries; the second kind is a bug.
 */
const STORAGE = /^SQLITE_(FULL|IOERR|BUSY|LOCKED|READONLY|CANTOPEN|PROTOCOL|NOMEM|CORRUPT|NOTADB)/;
const CORRUPT = /^SQLITE_(CORRUPT|NOTADB)/;

function code(e: unknown): string {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === "string" ? c : "";
}

export function isStorageFault(e: unknown): boolean {
  return STORAGE.test(code(e)) || isCorruption(e);
}

/** The file is damaged: no retry helps, the database has to be set aside (store/sqlite/recover.ts). */
export function isCorruption(e: unknown): boolean {
  if (CORRUPT.test(code(e))) return true;
  const cause = (e as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== e && CORRUPT.test(code(cause));
}
