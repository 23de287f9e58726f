import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { AuthStore } from "../auth/ports.ts";
import { loadOrCreateKey, restoreKeyFile, secretBox, type SecretBox } from "../auth/secret-box.ts";
import { listUserSecurity, type UserSecurity } from "../auth/users-report.ts";
import type { Config } from "../config/schema.ts";
import { expandHome } from "../config/home.ts";
import { defaultDataPath, openSqliteAuthStore } from "../store/index.ts";

/** The auth capability's storage, as the CLI and the daemon open it: the watch database + a key file beside it. */
export interface AuthParts {
  store: AuthStore;
  box: SecretBox;
  /** Writes the key file back when it was deleted while the daemon ran (the key is still in memory); true when it wrote. */
  restoreKeyFile(): boolean;
  close(): void;
}

export function watchDatabasePath(config: Config, env: Readonly<Record<string, string | undefined>>): string {
  return config.watch.database === undefined ? defaultDataPath(env) : expandHome(config.watch.database, env["HOME"]);
}

/** The file holding the AES-256 key that seals TOTP secrets: `auth.key` beside the database, 0600. */
export function authKeyPath(databasePath: string): string {
  return join(dirname(databasePath), "auth.key");
}

/**
 * The accounts in the SQLite watch database, or in `shared` (a fleet's PostgreSQL store, which its
 * opener closes). The key file stays beside where the SQLite file would be: every watcher of a
 * fleet needs the same auth.key (docs/fleet.md) to open the TOTP secrets the others sealed.
 */
export function openAuthParts(databasePath: string, shared?: AuthStore): AuthParts {
  mkdirSync(dirname(databasePath), { recursive: true, mode: 0o700 });
  const keyPath = authKeyPath(databasePath);
  const key = loadOrCreateKey(keyPath);
  if (shared !== undefined) return { store: shared, box: secretBox(key), restoreKeyFile: () => restoreKeyFile(keyPath, key), close: () => {} };
  const store = openSqliteAuthStore(databasePath);
  return { store, box: secretBox(key), restoreKeyFile: () => restoreKeyFile(keyPath, key), close: () => store.close() };
}

/**
 * For `nodeward audit`: the dashboard users of a watch database and the state of their second
 * factor ({name, totpEnrolled, backupCodesRemaining}), read without the key file (no secret is
 * opened). Structurally the audit's `DashboardUsers` port. The database must exist.
 */
export function dashboardUsersAt(databasePath: string): { source: string; list(): Promise<UserSecurity[]> } {
  return {
    source: databasePath,
    async list() {
      const store = openSqliteAuthStore(databasePath);
      try {
        return await listUserSecurity(store);
      } finally {
        store.close();
      }
    },
  };
}
