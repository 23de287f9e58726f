import { dirname } from "node:path";
import { WalletError } from "./errors.ts";
import { passwdNames } from "./perms.ts";

/**
 * A file-system failure on a place the operator chose (the backup directory, the restored
 * wallet's directory, a backup to read) is the operator's to fix, not a bug: it becomes one line
 * that names the place and the reason, and a hint with what to do.
 */

export interface Place {
  /** "the backup directory", "the backup" … */
  what: string;
  path: string;
  doing: "create" | "write to" | "read" | "use";
  /** How to pick another place: "choose another with --to (or wallet.backupDir)". */
  instead: string;
}

/** The errno code of a Node system error ("EACCES"), if it is one. */
export function errnoOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === "string" && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** A WalletError for a system error at `place`; anything else (a WalletError, a bug) is returned unchanged. */
export function placeFailure(e: unknown, place: Place): unknown {
  const code = errnoOf(e);
  if (code === undefined || e instanceof WalletError) return e;
  const { reason, hint } = explain(code, place);
  return new WalletError(`cannot ${place.doing} ${place.what} ${place.path}: ${reason}`, { cause: e, hint });
}

function explain(code: string, p: Place): { reason: string; hint: string } {
  const at = p.doing === "create" ? dirname(p.path) : p.path; // a new directory needs write access to its parent
  switch (code) {
    case "EACCES":
      return { reason: `permission denied for ${currentUser()}`, hint: `check the owner and mode of ${at} (ls -ld ${at}) and let this user ${p.doing === "read" ? "read" : "write"} it, or ${p.instead}` };
    case "EPERM":
      return { reason: "operation not permitted (files of another user in a sticky directory, or an immutable attribute?)", hint: `check ls -la ${at} and lsattr -d ${at}, or ${p.instead}` };
    case "EROFS":
      return { reason: "it is on a read-only file system", hint: p.instead };
    case "ENOSPC":
    case "EDQUOT":
      return { reason: code === "ENOSPC" ? "no space left on the device" : "the disk quota is used up", hint: `free some space (df -h ${p.path}) and run it again, or ${p.instead}; nothing of this attempt was kept` };
    case "ENOENT":
      // mkdir answers ENOENT where its parent exists but takes no new entries (/proc, /sys).
      return { reason: p.doing === "create" ? "this file system takes no new directories there" : "it does not exist", hint: p.instead };
    case "ENOTDIR":
      return { reason: "a part of the path is not a directory", hint: p.instead };
    case "EIO":
      return { reason: "input/output error: the disk may be failing", hint: `look at dmesg, or ${p.instead}` };
    default:
      return { reason: code, hint: p.instead };
  }
}

function currentUser(): string {
  const uid = process.getuid?.();
  if (uid === undefined) return "this user";
  const name = passwdNames().get(uid);
  return name === undefined ? `uid ${uid}` : `user ${name} (uid ${uid})`;
}
