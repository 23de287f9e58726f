import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AppError } from "../core/errors.ts";
import type { SshUndo } from "./ssh.ts";

/**
 * What `host apply` leaves for `confirm`, `rollback` and the rollback timer, in the state dir:
 *   pending.json   token, deadline, how to undo SSH, which timer runs
 *   previous.nft   loads the table as it was before (or removes it, if there was none)
 *   applied.nft    the file that was loaded; confirm persists exactly this
 * Whoever acts first — confirm, rollback, or the timer — claims pending.json by renaming it
 * (atomic), so a confirm and a firing timer can never both win.
 */

export type TimerRef = { kind: "process"; pid: number } | { kind: "systemd"; unit: string };

export interface Pending {
  version: 1;
  token: string;
  appliedAt: string;
  /** ISO time after which the timer restores previous.nft. */
  deadline: string;
  previousExisted: boolean;
  /** SSH changes of this apply and of pending applies it replaced, oldest first; undone newest first. */
  ssh: SshUndo[];
  timer: TimerRef | null;
}

export const stateFiles = (dir: string) => ({
  pending: join(dir, "pending.json"),
  previous: join(dir, "previous.nft"),
  applied: join(dir, "applied.nft"),
  log: join(dir, "rollback.log"),
  confirmed: join(dir, "confirmed.json"),
});

export async function ensureStateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new AppError("HOST_COMMAND_FAILED", `cannot create the state directory ${dir}: ${(e as Error).message}`, {
      cause: e,
      hint: "host commands run as root on the node; or set lockdown.stateDir to a writable directory",
    });
  }
}

export async function writeAtomic(path: string, text: string, mode = 0o600): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, path);
}

export async function readPending(dir: string): Promise<Pending | null> {
  const text = await readFile(stateFiles(dir).pending, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return null;
    throw e;
  });
  if (text === null) return null;
  return parsePending(text, stateFiles(dir).pending);
}

export async function writePending(dir: string, p: Pending): Promise<void> {
  await writeAtomic(stateFiles(dir).pending, `${JSON.stringify(p, null, 2)}\n`);
}

/**
 * Takes pending.json for one actor ("confirm", "rollback"): renames it out of the way and returns
 * it. null when there is nothing pending or someone else got there first — and, when `token` is
 * given, when the pending apply is a different one (a newer apply replaced it).
 */
export async function claimPending(dir: string, actor: string, token?: string): Promise<Pending | null> {
  const f = stateFiles(dir);
  const current = await readPending(dir);
  if (current === null || (token !== undefined && current.token !== token)) return null;
  const claimed = `${f.pending}.${actor}.${process.pid}`;
  try {
    await rename(f.pending, claimed);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  const text = await readFile(claimed, "utf8");
  await rm(claimed, { force: true });
  const p = parsePending(text, claimed);
  if (token !== undefined && p.token !== token) {
    // A newer apply slipped in between read and rename: put it back untouched.
    await writePending(dir, p);
    return null;
  }
  return p;
}

function parsePending(text: string, file: string): Pending {
  try {
    const p = JSON.parse(text) as Pending;
    if (p.version === 1 && typeof p.token === "string" && typeof p.deadline === "string" && Array.isArray(p.ssh)) return p;
  } catch {
    // fall through
  }
  throw new AppError("HOST_COMMAND_FAILED", `${file} is not a nodeward pending-apply file`, {
    hint: "remove it by hand after checking `nft list table inet nodeward`; previous.nft beside it holds the earlier ruleset",
  });
}
