import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { TestContext } from "node:test";

/**
 * File-system faults that hold even for root, who passes every permission bit: a read-only or a
 * tiny tmpfs mounted on a test directory (needs CAP_SYS_ADMIN: root), and an unprivileged user to
 * run the CLI as, so a mode without w really denies writing.
 */

/** The uid/gid the CLI runs as for a permission test: nobody when we are root (root ignores mode bits), else ourselves. */
export function unprivileged(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
}

/**
 * Mounts a tmpfs on `dir` (e.g. "ro" or "size=64k"); returns the unmount function. Needs root:
 * skips outside CI with the reason, fails under CI=true, where the tests run as root.
 */
export function mountTmpfs(t: TestContext, dir: string, options: string): (() => void) | undefined {
  const why = process.getuid?.() !== 0 ? "not root" : undefined;
  const r = why === undefined ? spawnSync("mount", ["-t", "tmpfs", "-o", options, "nodeward-test", dir], { encoding: "utf8" }) : undefined;
  if (r !== undefined && r.status === 0) return () => void spawnSync("umount", [dir]);
  const reason = why ?? `mount -t tmpfs -o ${options} failed: ${(r?.stderr ?? r?.error?.message ?? "").trim()}`;
  if (process.env.CI === "true") assert.fail(`CI runs as root and must mount a tmpfs for the file-system fault tests, but: ${reason}`);
  t.skip(`needs root to mount a tmpfs (${reason})`);
  return undefined;
}
