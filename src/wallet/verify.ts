import { createHash } from "node:crypto";
import { basename } from "node:path";
import { decryptFile, type Unlock } from "./age-stream.ts";
import { WalletError } from "./errors.ts";
import { parseBackupName } from "./names.ts";
import { backupPlace, openableBackup } from "./backup-file.ts";
import { placeFailure } from "./fs-failure.ts";

/** What `wallet verify` proves: the file decrypts end to end and matches its recorded SHA-256. */
export interface VerifyResult {
  file: string;
  /** SHA-256 and size of the decrypted plaintext. */
  sha256: string;
  size: number;
  /** SHA-256 recorded in the sidecar, or null when there is no sidecar (integrity then rests on age's authentication alone). */
  expected: string | null;
  /** true: matches the sidecar; null: no sidecar to compare with. A mismatch throws. */
  matches: true | null;
  walletName: string | null;
  createdAt: string | null;
}

/** Decrypts a backup as a stream (nothing written) and checks it against its sidecar. Throws WalletError on any failure. */
export async function verifyBackup(file: string, unlock: Unlock): Promise<VerifyResult> {
  const side = await openableBackup(file, "the sidecar was edited or damaged; `age -d` the file and compare by hand");
  const h = createHash("sha256");
  let size = 0;
  await decryptFile(file, unlock, (c) => {
    h.update(c);
    size += c.length;
  }).catch((e: unknown) => {
    throw placeFailure(e, backupPlace(file));
  });
  const sha256 = h.digest("hex");
  if (side && side.sha256 !== sha256) {
    throw new WalletError(`${file}: decrypts, but its SHA-256 ${sha256.slice(0, 16)}… differs from the sidecar's ${side.sha256.slice(0, 16)}…`, { hint: "the backup or its .sha256 sidecar was replaced; use another backup" });
  }
  const parsed = parseBackupName(basename(file));
  return { file, sha256, size, expected: side?.sha256 ?? null, matches: side ? true : null, walletName: parsed?.name ?? null, createdAt: parsed?.createdAt.toISOString() ?? null };
}
