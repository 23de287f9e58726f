import { realpath, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { groupNames, passwdNames } from "./perms.ts";

/**
 * Who besides you can change what lands in a directory you write backups (or a restored wallet)
 * to. The directory itself: writable by others (a sticky bit, as on /tmp, stops them deleting
 * your files but not creating files under the names yours will take), or owned by another user.
 * Its parents: one others can write without the sticky bit, or another user owns, lets them move
 * the directory away and put their own in its place. Pure; `dirChain` reads the modes.
 */

export interface DirEntry {
  path: string;
  mode: number;
  uid: number;
  gid: number;
}

const OTHER_W = 0o002;
const GROUP_W = 0o020;
const STICKY = 0o1000;

/** `chain` is the directory first, then each parent up to "/". Returns warnings, one sentence each. */
export function dirRisks(
  chain: readonly DirEntry[],
  myUid: number,
  users: ReadonlyMap<number, string>,
  groups: ReadonlyMap<number, string>,
  things = "backups",
): string[] {
  const [dir, ...parents] = chain;
  if (dir === undefined) return [];
  const p = dir.path;
  const user = (uid: number) => users.get(uid) ?? `uid ${uid}`;
  const group = (gid: number) => groups.get(gid) ?? `gid ${gid}`;
  const mode = (m: number) => (m & 0o7777).toString(8).padStart(4, "0");
  const foreign = (d: DirEntry) => d.uid !== myUid && d.uid !== 0;
  const out: string[] = [];

  if ((dir.mode & OTHER_W) !== 0) {
    out.push(
      (dir.mode & STICKY) !== 0
        ? `${p} is world-writable with the sticky bit (mode ${mode(dir.mode)}): other users cannot delete your ${things}, but they can create files under the names yours will take and fill the disk; use a private directory (mkdir -m 700 ~/wallet-backups)`
        : `${p} is world-writable (mode ${mode(dir.mode)}): any local user can delete or replace ${things} in it, or plant a symlink; use a private directory (chmod 700 ${p})`,
    );
  } else if ((dir.mode & GROUP_W) !== 0 && (dir.mode & STICKY) === 0) {
    out.push(`${p} is writable by group ${group(dir.gid)} (mode ${mode(dir.mode)}): its members can delete or replace ${things} in it, or plant a symlink; use a private directory (chmod 700 ${p})`);
  }
  if (foreign(dir)) out.push(`${p} belongs to user ${user(dir.uid)}: they can delete, replace or read ${things} written there; use a directory you own`);

  for (const parent of parents) {
    const of = `${parent.path} (a parent of ${p})`;
    const movable = `can move ${p} away and put their own directory in its place`;
    const sticky = (parent.mode & STICKY) !== 0;
    let risk: string | undefined;
    if ((parent.mode & OTHER_W) !== 0 && !sticky) risk = `${of} is world-writable without the sticky bit: any local user ${movable}; use a private directory`;
    else if ((parent.mode & GROUP_W) !== 0 && !sticky) risk = `${of} is writable by group ${group(parent.gid)} without the sticky bit: its members ${movable}; use a private directory`;
    else if (foreign(parent) && !(foreign(dir) && parent.uid === dir.uid)) risk = `${of} belongs to user ${user(parent.uid)}: they ${movable}; use a directory you own`;
    if (risk !== undefined) {
      out.push(risk); // the closest one is enough to act on
      break;
    }
  }
  return out;
}

/** The directory (symlinks resolved) and its parents up to "/"; best effort: stops where it cannot look. */
export async function dirChain(dir: string): Promise<DirEntry[]> {
  const chain: DirEntry[] = [];
  let p = await realpath(dir).catch(() => dir);
  for (;;) {
    const st = await stat(p).catch(() => null);
    if (st === null) break;
    chain.push({ path: p, mode: st.mode, uid: st.uid, gid: st.gid });
    if (dirname(p) === p) break;
    p = dirname(p);
  }
  return chain;
}

/** The warnings for a directory on this machine, as the user running nodeward. */
export async function dirWarnings(dir: string, things?: string): Promise<string[]> {
  const uid = process.getuid?.();
  if (uid === undefined) return [];
  return dirRisks(await dirChain(dir), uid, passwdNames(), groupNames(), things);
}
