import { open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../../core/errors.ts";
import type { Clock } from "../../core/clock.ts";

/**
 * One simulated world per machine at a time: worlds route the same simulated addresses, so a
 * second one waits. The lock file holds the owner's pid; a dead owner's lock is taken over.
 */
export async function acquireWorldLock(clock: Clock, waitMs = 120_000): Promise<() => Promise<void>> {
  const path = join(tmpdir(), "nodeward-sim-world.lock");
  const deadline = clock.now() + waitMs;
  for (;;) {
    try {
      const fh = await open(path, "wx");
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const owner = Number((await readFile(path, "utf8").catch(() => "")).trim());
    if (!Number.isInteger(owner) || owner <= 0 || !alive(owner)) {
      await rm(path, { force: true });
      continue;
    }
    if (clock.now() > deadline) throw new AppError("INTERNAL", `another simulated world (pid ${owner}) has been running for ${Math.round(waitMs / 1000)} s`, { hint: `stop it, or remove ${path}` });
    await clock.sleep(100);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
