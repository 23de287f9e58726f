import { readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { placeFailure, type Place } from "./fs-failure.ts";
import { SIDECAR_SUFFIX, parseBackupName } from "./names.ts";
import { prepareDir } from "./target-dir.ts";

/** The backups of one wallet in a directory, newest first. Temp files and other wallets' backups are ignored. */
export interface BackupFile {
  file: string;
  name: string;
  createdAt: Date;
  size: number;
  /** A sidecar with the plaintext's SHA-256 sits beside it. */
  hasSidecar: boolean;
}

const place = (dir: string): Place => ({ what: "the backup directory", path: dir, doing: "read", instead: "choose another backup directory (--to or wallet.backupDir)" });

export async function listBackups(dir: string, walletName: string): Promise<BackupFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    if ((e as NodeJS.ErrnoException).code === "ENOTDIR") await prepareDir({ ...place(dir), doing: "use" }, false); // names the file in the way
    throw placeFailure(e, place(dir));
  }
  const set = new Set(names);
  const out: BackupFile[] = [];
  for (const n of names) {
    const parsed = parseBackupName(n);
    if (!parsed || parsed.name !== walletName) continue;
    const st = await stat(join(dir, n)).catch(() => null);
    if (!st?.isFile()) continue;
    out.push({ file: join(dir, n), name: parsed.name, createdAt: parsed.createdAt, size: st.size, hasSidecar: set.has(`${n}${SIDECAR_SUFFIX}`) });
  }
  return out.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.file.localeCompare(a.file));
}

/**
 * Pure: which backups to delete so that `keep` remain. The newest is never deleted, and neither is
 * `protect` (the one just written and verified), whatever `keep` says.
 */
export function planRotation(newestFirst: readonly BackupFile[], keep: number, protect?: string): BackupFile[] {
  const n = Math.max(1, Math.floor(keep));
  return newestFirst.slice(n).filter((b) => b.file !== protect);
}

/** Deletes what planRotation chose, with their sidecars. Returns the deleted backup paths. */
export async function rotate(dir: string, walletName: string, keep: number, protect?: string): Promise<string[]> {
  const doomed = planRotation(await listBackups(dir, walletName), keep, protect);
  const removed: string[] = [];
  for (const b of doomed) {
    await unlink(b.file);
    await unlink(`${b.file}${SIDECAR_SUFFIX}`).catch(() => undefined);
    removed.push(b.file);
  }
  return removed;
}

/** The newest backup of a wallet in a directory, or null when there is none. */
export async function latestBackup(dir: string, walletName: string): Promise<BackupFile | null> {
  return (await listBackups(dir, walletName))[0] ?? null;
}
