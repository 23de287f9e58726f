import { authStoreContract } from "./contracts/auth-store.contract.ts";
import { memoryAuthStore } from "./memory/auth-store.ts";
import { openSqliteAuthStore } from "./sqlite/auth-store.ts";
import { tempDir } from "./temp-dir.test-support.ts";

/** The auth contract against both implementations (SQLite: a real file per test). */
const temp = tempDir();
let n = 0;

authStoreContract("memory", async () => ({ store: memoryAuthStore(), close() {} }));
authStoreContract("sqlite", async () => {
  const store = openSqliteAuthStore(temp.file(`auth-${++n}.db`));
  return { store, close: () => store.close() };
});
