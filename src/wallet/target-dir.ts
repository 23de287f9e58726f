import type { Stats } from "node:fs";
import { mkdir, rmdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { WalletError } from "./errors.ts";
import { errnoOf, placeFailure, type Place } from "./fs-failure.ts";

/**
 * Makes sure `place.path` is a directory, creating what is missing (mode 0700, parent first)
 * when `create` is set. Every way it can fail is a WalletError naming the path. Directories it
 * created are removed again when a later one cannot be. It does not use mkdir's `recursive`:
 * on Node 20 that loops forever where mkdir answers ENOENT under an existing parent (/proc).
 */
export async function prepareDir(place: Place, create: boolean): Promise<void> {
  const missing: string[] = [];
  for (let p = place.path; ; p = dirname(p)) {
    const st = await stat(p).catch((e: unknown) => e);
    if (isStats(st)) {
      if (st.isDirectory()) break;
      const whose = p === place.path ? "" : `, so ${place.path} cannot be one`;
      throw new WalletError(`${p} is a file, not a directory${whose}`, { hint: place.instead });
    }
    const code = errnoOf(st);
    if ((code !== "ENOENT" && code !== "ENOTDIR") || dirname(p) === p) throw placeFailure(st, { ...place, path: p, doing: "use" });
    missing.unshift(p);
  }
  if (missing.length === 0) return;
  if (!create) throw new WalletError(`${place.what} ${place.path} does not exist`, { hint: `create it first (mkdir -p ${place.path}; chmod 700 ${place.path}), or ${place.instead}` });
  const created: string[] = [];
  for (const dir of missing) {
    try {
      await mkdir(dir, { mode: 0o700 });
      created.push(dir);
    } catch (e) {
      if (errnoOf(e) === "EEXIST" && (await stat(dir).then((s) => s.isDirectory(), () => false))) continue; // made by someone else meanwhile
      for (const c of created.reverse()) await rmdir(c).catch(() => undefined);
      throw placeFailure(e, { ...place, what: dir === place.path ? place.what : `${place.what}'s parent`, path: dir, doing: "create" });
    }
  }
}

function isStats(v: unknown): v is Stats {
  return typeof v === "object" && v !== null && typeof (v as Stats).isDirectory === "function";
}
