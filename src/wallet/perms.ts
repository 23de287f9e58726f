import type { Stats } from "node:fs";
import { readFileSync } from "node:fs";

/** Who may read a file, from its mode and owner. Pure apart from the optional /etc/passwd lookup. */
export interface Permissions {
  /** Octal mode, e.g. "0600". */
  mode: string;
  uid: number;
  gid: number;
  /** User name from /etc/passwd when known. */
  owner: string | undefined;
  groupReadable: boolean;
  worldReadable: boolean;
  worldWritable: boolean;
  /** Owned by the user running nodeward (or that user is root). */
  ownedByYou: boolean;
}

export function permissionsOf(st: Pick<Stats, "mode" | "uid" | "gid">, myUid: number | undefined = process.getuid?.(), names: ReadonlyMap<number, string> = passwdNames()): Permissions {
  const m = st.mode & 0o7777;
  return {
    mode: `0${m.toString(8).padStart(3, "0")}`,
    uid: st.uid,
    gid: st.gid,
    owner: names.get(st.uid),
    groupReadable: (m & 0o040) !== 0,
    worldReadable: (m & 0o004) !== 0,
    worldWritable: (m & 0o002) !== 0,
    ownedByYou: myUid === undefined || myUid === 0 || myUid === st.uid,
  };
}

const cached = new Map<string, Map<number, string>>();

/** uid → user name from /etc/passwd (best effort; empty when unreadable). */
export function passwdNames(): ReadonlyMap<number, string> {
  return idNames("/etc/passwd");
}

/** gid → group name from /etc/group (best effort; empty when unreadable). */
export function groupNames(): ReadonlyMap<number, string> {
  return idNames("/etc/group");
}

/** name:x:id:… lines → id → name. */
function idNames(file: string): ReadonlyMap<number, string> {
  const known = cached.get(file);
  if (known) return known;
  const names = new Map<number, string>();
  cached.set(file, names);
  try {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const [name, , id] = line.split(":");
      if (name && id && /^\d+$/.test(id)) names.set(Number(id), name);
    }
  } catch {
    // no such file: names stay unknown
  }
  return names;
}
