import { createHash } from "node:crypto";
import { stat, unlink } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { decryptFile, encryptStream, fileStream, hashing, writeStream, type Seal, type Unlock } from "./age-stream.ts";
import { commit, createTemp, discard, finishTemp, sweepTemps, type TempFile } from "./atomic.ts";
import { checkFile } from "./check.ts";
import { dirWarnings } from "./dir-risks.ts";
import { placeFailure, type Place } from "./fs-failure.ts";
import { NotAWalletError } from "./read.ts";
import { WalletError } from "./errors.ts";
import { SIDECAR_SUFFIX, backupFileName, walletName } from "./names.ts";
import type { EncryptionState } from "./records.ts";
import { rotate } from "./rotate.ts";
import { sidecarText } from "./sidecar.ts";
import { prepareDir } from "./target-dir.ts";

/**
 * `wallet backup`: wallet → age stream → temp file (0600) → fsync → decrypt it again in memory and
 * compare SHA-256 → sidecar → rename both into place → fsync the directory → rotate. Plaintext
 * never touches the disk; a failed check removes the bad file; the newest good backup is never deleted.
 */

export interface BackupOptions {
  wallet: string;
  dir: string;
  seal: Seal;
  /** Backups of this wallet to keep (≥ 1). */
  keep: number;
  /** Used instead of the file-key check after writing when given (e.g. the configured identity file). */
  verifyWith?: Unlock;
  /** Name in the backup file (default: the wallet's base name). */
  name?: string;
  now?: () => Date;
  /** Called after each chunk is written (progress). */
  onProgress?: (bytes: number) => void;
}

export interface BackupResult {
  file: string;
  sidecar: string;
  sha256: string;
  size: number;
  createdAt: string;
  walletState: EncryptionState;
  /** How the written file was proven: decrypted with the passphrase / an identity, or with the file key kept in memory. */
  verifiedWith: "passphrase" | "identity" | "file-key";
  /** Backups deleted by rotation. */
  rotated: string[];
  /** Temp files of interrupted runs that were removed. */
  sweptTemps: string[];
  warnings: string[];
}

export async function backupWallet(o: BackupOptions): Promise<BackupResult> {
  const wallet = resolve(o.wallet);
  const report = await checkFile(wallet).catch((e: unknown) => {
    if (e instanceof NotAWalletError) throw new WalletError(e.message, { cause: e, hint: "only wallet files are backed up; give the path of wallet.dat" });
    throw new WalletError(`cannot read ${wallet} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e });
  });
  const warnings: string[] = [];
  if (report.state !== "encrypted" && report.state !== "no-keys") {
    warnings.push(`${wallet} is ${report.state === "unencrypted" ? "NOT encrypted" : report.state}: this backup protects the copy, but the wallet itself stays readable by anyone who gets the file. Encrypt it in the wallet software first (Settings → Encrypt Wallet, or \`encryptwallet\`), then back it up again.`);
  }
  const dir = resolve(o.dir);
  const place: Place = { what: "the backup directory", path: dir, doing: "write to", instead: "choose another backup directory (--to or wallet.backupDir)" };
  await prepareDir(place, true);
  warnings.push(...(await dirWarnings(dir)));
  const sweptTemps = await sweepTemps(dir);
  const name = o.name ?? walletName(wallet);
  const at = (o.now ?? (() => new Date()))();
  const final = backupFileName(name, at);
  const finalPath = join(dir, final);
  if (await stat(finalPath).then(() => true, () => false)) throw new WalletError(`${finalPath} already exists`, { hint: "two backups in the same millisecond; run it again" });
  const before = await stat(wallet);

  let tmp: TempFile | undefined;
  let side: TempFile | undefined;
  let committing = false;
  try {
    tmp = await createTemp(dir, final);
    const hash = hashing();
    const { output, fileKey } = await encryptStream(fileStream(wallet).pipeThrough(hash.stream), o.seal);
    let written = 0;
    await writeStream(output.pipeThrough(new TransformStream({ transform: (c: Uint8Array, ctl) => (ctl.enqueue(c), o.onProgress?.((written += c.length))) })), tmp.fh);
    await finishTemp(tmp);
    const plain = hash.digest();

    const unlock = o.verifyWith ?? (o.seal.kind === "passphrase" ? { kind: "passphrase" as const, passphrase: o.seal.passphrase } : undefined);
    const key = fileKey();
    const check = createHash("sha256");
    if (unlock) await decryptFile(tmp.path, unlock, (c) => void check.update(c));
    else if (key) await decryptFile(tmp.path, { kind: "fileKey", fileKey: key }, (c) => void check.update(c));
    else throw new WalletError("internal: nothing to verify the backup with");
    const got = check.digest("hex");
    if (got !== plain.sha256) throw new WalletError(`the written backup decrypts to SHA-256 ${got.slice(0, 16)}…, not the wallet's ${plain.sha256.slice(0, 16)}…; it was removed`, { hint: "check the disk (dmesg, df) and run the backup again" });

    side = await createTemp(dir, `${final}${SIDECAR_SUFFIX}`);
    await side.fh.writeFile(sidecarText(plain.sha256, basename(wallet)));
    await finishTemp(side);
    // Sidecar first: a crash between the renames leaves a sidecar without a backup, never a backup without its hash.
    committing = true;
    await commit(dir, [{ from: side.path, to: `${finalPath}${SIDECAR_SUFFIX}` }, { from: tmp.path, to: finalPath }]);
    committing = false;

    const after = await stat(wallet);
    if (after.mtimeMs !== before.mtimeMs || after.size !== before.size || plain.size !== before.size) {
      warnings.push(`${wallet} changed while it was read: the backup may hold a torn copy. Stop the wallet (or use its \`backupwallet\` RPC to a file) and back that up.`);
    }
    const rotated = await rotate(dir, name, o.keep, finalPath).catch((e: unknown) => {
      const why = placeFailure(e, { ...place, doing: "use" });
      warnings.push(`the backup is written, but older ones could not be rotated out: ${why instanceof Error ? why.message : String(why)}`);
      return [];
    });
    return {
      file: finalPath,
      sidecar: `${finalPath}${SIDECAR_SUFFIX}`,
      sha256: plain.sha256,
      size: plain.size,
      createdAt: at.toISOString(),
      walletState: report.state,
      verifiedWith: unlock ? (unlock.kind === "passphrase" ? "passphrase" : "identity") : "file-key",
      rotated,
      sweptTemps,
      warnings,
    };
  } catch (e) {
    if (tmp) await discard(tmp);
    if (side) await discard(side);
    // The sidecar may be in place while the backup's rename failed: a hash of nothing is removed too.
    if (committing && !(await stat(finalPath).then(() => true, () => false))) await unlink(`${finalPath}${SIDECAR_SUFFIX}`).catch(() => undefined);
    throw (e as { path?: unknown } | null)?.path === wallet ? placeFailure(e, { what: "the wallet", path: wallet, doing: "read", instead: "check the disk and the file, then run it again" }) : placeFailure(e, place);
  }
}
