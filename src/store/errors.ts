import { AppError, type AppErrorOptions } from "../core/errors.ts";

/** Why a store refused or failed (code "STORE"); callers switch on `reason`. */
export type StoreFailure =
  /** The database was written by a newer nodeward (its schema version is unknown here). */
  | "schema-too-new"
  /** A migration failed; the database was left at the version before it. */
  | "migration-failed"
  /** The file exists but is not a nodeward database (another SQLite file, or not SQLite at all). */
  | "not-nodeward"
  /** The file cannot be opened or configured (permissions, a read-only or odd file system). */
  | "unavailable"
  /** The caller asked about an id the store does not hold. */
  | "not-found"
  /** The id already exists, or the row is in a state the operation does not apply to. */
  | "conflict"
  /** An argument the store cannot keep faithfully (a fractional timestamp, a negative count). */
  | "invalid-argument"
  /** A stored row failed validation on read. */
  | "corrupt-row"
  /** A write only the lease holder may make, refused: the writer no longer holds the lease (fleet/ports.ts Fence). */
  | "fenced";

export class StoreError extends AppError {
  readonly reason: StoreFailure;

  constructor(reason: StoreFailure, message: string, options: AppErrorOptions = {}) {
    super("STORE", message, options);
    this.name = "StoreError";
    this.reason = reason;
  }
}

export function isStoreError(e: unknown, reason?: StoreFailure): e is StoreError {
  return e instanceof StoreError && (reason === undefined || e.reason === reason);
}
