import { randomBytes } from "node:crypto";
import { open, realpath, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { AppError } from "../core/errors.ts";
import { modeText } from "./file-mode.ts";

/**
 * Replaces nodeward.yaml's text in place for commands that edit it (`import --write`). The new
 * text goes to a temp file beside the real file (a symlink stays a symlink), gets the old file's
 * mode and owner, is fsynced and renamed over it: a watcher reading the config meanwhile sees the
 * old file or the new one, never half of one, and a file kept at 600 for its inline secrets does
 * not become readable to others. Refused when the file changed since `before` was read.
 */
export async function rewriteConfigFile(path: string, before: string, after: string): Promise<void> {
  const real = await realpath(path).catch((e: unknown) => fail("find", path, e));
  const current = await open(real, "r").catch((e: unknown) => fail("read", path, e));
  let stat;
  try {
    stat = await current.stat();
    if ((await current.readFile("utf8")) !== before) {
      throw new AppError("IO", `${path} changed while the import ran; nothing was written`, { hint: "run the import again" });
    }
  } finally {
    await current.close();
  }
  const tmp = join(dirname(real), `.${basename(real)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", 0o600).catch((e: unknown) => fail("write next to", path, e));
  try {
    await fh.writeFile(after, "utf8");
    await fh.chmod(stat.mode & 0o7777);
    const made = await fh.stat();
    if (made.uid !== stat.uid || made.gid !== stat.gid) {
      await fh.chown(stat.uid, stat.gid).catch((e: unknown) => {
        throw new AppError("IO", `cannot give the new ${path} its owner (uid ${stat.uid}, gid ${stat.gid}, mode ${modeText(stat.mode)}); nothing was written`, {
          cause: e,
          hint: "run the import as the file's owner",
        });
      });
    }
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e instanceof AppError ? e : fail("write", path, e);
  }
  await fh.close();
  await rename(tmp, real).catch(async (e: unknown) => {
    await unlink(tmp).catch(() => undefined);
    fail("replace", path, e);
  });
  // The rename is done; an fsync of the directory that fails leaves it to the kernel's own flush.
  const dir = await open(dirname(real), "r").catch(() => undefined);
  await dir?.sync().catch(() => undefined);
  await dir?.close();
}

function fail(what: string, path: string, e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code ?? String(e);
  throw new AppError("IO", `cannot ${what} ${path} (${code}); nothing was written`, { cause: e, hint: "check the path and its permissions" });
}
