/** The storage capability's public surface, for the daemon's composition root and the CLI. */
export type { Stores } from "./stores.ts";
export { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from "./sqlite/open.ts";
export { openMemoryStore } from "./memory/open.ts";
export { defaultDataPath } from "./data-path.ts";
export { StoreError, isStoreError, type StoreFailure } from "./errors.ts";
export { alertEventSchema, parseStoredAlertEvent } from "./alert-event-schema.ts";
export { openSqliteAuthStore } from "./sqlite/auth-store.ts";
export { memoryAuthStore } from "./memory/auth-store.ts";
