import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

/**
 * A small tmpfs of the test's own, to fill up: a real full disk for the daemon's database.
 * Needs root (mount); outside CI the test is skipped with the reason, in CI (CI=true) it fails.
 */
export function smallTmpfs(t: TestContext, sizeKiB: number): { dir: string; unmount(): void } | null {
  const dir = mkdtempSync(join(tmpdir(), "nodeward-tmpfs-"));
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKiB}k,mode=0700`, "tmpfs", dir], { encoding: "utf8" });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const reason = `mounting a tmpfs failed (${(r.stderr || r.error?.message || "").trim() || `exit ${r.status}`}); it needs root`;
    if (process.env.CI === "true") assert.fail(`CI must run the full-disk tests, but: ${reason}`);
    t.skip(reason);
    return null;
  }
  return {
    dir,
    unmount() {
      spawnSync("umount", ["-l", dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
