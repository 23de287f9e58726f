import { createHash } from "node:crypto";
import { lstat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { decryptFile, type Unlock } from "./age-stream.ts";
import { commit, createTemp, discard, finishTemp, type TempFile } from "./atomic.ts";
import { backupPlace, openableBackup } from "./backup-file.ts";
import { dirWarnings } from "./dir-risks.ts";
import { WalletError } from "./errors.ts";
import { placeFailure, type Place } from "./fs-failure.ts";
import { prepareDir } from "./target-dir.ts";

/**
 * `wallet restore`: decrypts a backup into a 0600 temp file beside the target, checks its SHA-256
 * against the sidecar, then renames it into place. Refuses to replace an existing file unless `force`.
 */

export interface RestoreResult {
  to: string;
  sha256: string;
  size: number;
  /** Whether a sidecar hash was compared (false: integrity rests on age's authentication alone). */
  checkedSidecar: boolean;
  replaced: boolean;
  /** Others can change the directory the wallet was restored to (world-writable, another owner …). */
  warnings: string[];
}

export async function restoreBackup(file: string, to: string, unlock: Unlock, opts: { force?: boolean } = {}): Promise<RestoreResult> {
  const target = resolve(to);
  const existing = await lstat(target).catch(() => null);
  if (existing?.isDirectory()) throw new WalletError(`${target} is a directory`, { hint: `give the wallet file to write, e.g. ${target}/wallet.dat` });
  if (existing && !opts.force) throw new WalletError(`${target} already exists; refusing to overwrite a wallet`, { hint: "restore to another path, or pass --force if you really mean to replace it" });
  const side = await openableBackup(file, "the sidecar was edited or damaged");
  const dir = dirname(target);
  const place: Place = { what: "the directory of the restored wallet", path: dir, doing: "write to", instead: "restore to another path (--to)" };
  await prepareDir(place, false);
  const warnings = await dirWarnings(dir, "the restored wallet");
  let tmp: TempFile | undefined;
  try {
    tmp = await createTemp(dir, basename(target));
    const fh = tmp.fh;
    const h = createHash("sha256");
    let size = 0;
    await decryptFile(file, unlock, async (c) => {
      h.update(c);
      size += c.length;
      await fh.write(c);
    });
    await finishTemp(tmp);
    const sha256 = h.digest("hex");
    if (side && side.sha256 !== sha256) throw new WalletError(`${file} decrypts to SHA-256 ${sha256.slice(0, 16)}…, not the sidecar's ${side.sha256.slice(0, 16)}…; nothing was written`, { hint: "use another backup" });
    await commit(dir, [{ from: tmp.path, to: target }]);
    return { to: target, sha256, size, checkedSidecar: side !== null, replaced: existing !== null, warnings };
  } catch (e) {
    if (tmp) await discard(tmp);
    throw (e as { path?: unknown } | null)?.path === file ? placeFailure(e, backupPlace(file)) : placeFailure(e, place);
  }
}
