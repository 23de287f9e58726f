import { randomBytes } from "node:crypto";
import { open, readdir, rename, unlink, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { parseTempName, tempName } from "./names.ts";

/**
 * Atomic file creation: a temp file beside the target (same directory, so rename is atomic),
 * mode 0600 from the start, fsynced, renamed, then the directory fsynced. A crash leaves at most a
 * dot-named temp file, which `sweepTemps` removes once its writer is gone.
 */

export interface TempFile {
  path: string;
  fh: FileHandle;
}

export async function createTemp(dir: string, final: string): Promise<TempFile> {
  const path = join(dir, tempName(final, process.pid, randomBytes(6).toString("hex")));
  const fh = await open(path, "wx", 0o600);
  return { path, fh };
}

/** fsync + close the temp file. */
export async function finishTemp(t: TempFile): Promise<void> {
  await t.fh.sync();
  await t.fh.close();
}

/** Renames finished temp files into place (in order), then fsyncs the directory. */
export async function commit(dir: string, moves: ReadonlyArray<{ from: string; to: string }>): Promise<void> {
  for (const m of moves) await rename(m.from, m.to);
  await syncDir(dir);
}

export async function discard(t: TempFile): Promise<void> {
  await t.fh.close().catch(() => undefined);
  await unlink(t.path).catch(() => undefined);
}

export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Removes temp files whose writing process is gone (a kill -9 mid-write). Returns their names. */
export async function sweepTemps(dir: string, alive: (pid: number) => boolean = pidAlive): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const n of names) {
    const t = parseTempName(n);
    if (!t || t.pid === process.pid || alive(t.pid)) continue; // not a temp, or its writer still runs
    await unlink(join(dir, n)).then(() => removed.push(n), () => undefined);
  }
  return removed;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
