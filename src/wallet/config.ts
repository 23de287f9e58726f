import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

/** The `wallet:` section of nodeward.yaml (docs/wallet.md). */

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an environment variable name` });
const path = z.string().trim().min(1);

export const walletConfigSchema = z
  .strictObject({
    paths: z.array(path).default([]).describe("Wallet files `wallet check` and `wallet backup` use when no PATH is given (~ expands), e.g. [~/.smartcash/wallet.dat]."),
    backupDir: path.optional().describe("Directory for encrypted backups (default: $XDG_DATA_HOME/nodeward/wallet-backups, else ~/.local/share/nodeward/wallet-backups). Keep a copy off this machine too."),
    keep: z.number().int().min(1).max(1000).default(10).describe("Backups kept per wallet; older ones are deleted after a new one is verified. The newest is never deleted."),
    recipients: z
      .array(z.string().trim().regex(/^age1[0-9a-z]+$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an age recipient (age1…)` }))
      .default([])
      .describe("age public keys (age1…) backups are encrypted to; when set, no passphrase is needed to back up. Make one with `age-keygen -o key.txt` and keep key.txt offline."),
    identityFile: path.optional().describe("age-keygen identity file used by `wallet verify` and `wallet restore` for recipient backups (~ expands; chmod 600)."),
    passphraseEnv: envName.optional().describe("Environment variable holding the backup passphrase (when no recipients are set). Without it or passphraseFile you are asked on the terminal."),
    passphraseFile: path.optional().describe("File holding the backup passphrase (~ expands; chmod 600); used when passphraseEnv is unset."),
    scryptWorkFactor: z.number().int().min(18).max(20).default(18).describe("scrypt work factor (log2 N) for passphrase backups, 18–20; age's default is 18 and age refuses above 20."),
    maxBackupAgeDays: z.number().int().min(1).max(3650).default(7).describe("The audit flags a wallet whose newest verified backup is older than this many days."),
  })
  .describe("Wallet encryption check and age-encrypted backups (`nodeward wallet`).");

export type WalletConfig = z.infer<typeof walletConfigSchema>;

/** Where backups go when neither --to nor wallet.backupDir says: $XDG_DATA_HOME/nodeward/wallet-backups, else ~/.local/share/…. */
export function defaultBackupDir(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env["XDG_DATA_HOME"];
  const base = xdg?.startsWith("/") ? xdg : join(env["HOME"] ?? homedir(), ".local", "share");
  return join(base, "nodeward", "wallet-backups");
}
