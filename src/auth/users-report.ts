import type { AuthStore } from "./ports.ts";

/** For `nodeward audit`: every dashboard user and the state of their second factor. */
export interface UserSecurity {
  name: string;
  totpEnrolled: boolean;
  backupCodesRemaining: number;
}

export async function listUserSecurity(store: AuthStore): Promise<UserSecurity[]> {
  const users = await store.listUsers();
  return Promise.all(users.map(async (u) => ({
    name: u.name,
    totpEnrolled: u.totpSecret !== null,
    backupCodesRemaining: (await store.backupCodes(u.name)).filter((c) => c.usedAt === null).length,
  })));
}
