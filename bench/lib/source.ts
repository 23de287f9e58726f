import { spawnSync } from "node:child_process";

/** "commit 8477477, src clean" (or "src: 2 files modified"): what a benchmark's numbers are numbers of. */
export function sourceVersion(repo: string): string {
  const git = (...args: string[]) => spawnSync("git", ["-C", repo, ...args], { encoding: "utf8" });
  const head = git("rev-parse", "--short", "HEAD");
  if (head.status !== 0) return "source version unknown (no git)";
  const dirty = git("status", "--porcelain", "--", "src").stdout.split("\n").filter((l) => l.trim() !== "").length;
  return `commit ${head.stdout.trim()}, ${dirty === 0 ? "src clean" : `src: ${dirty} file${dirty > 1 ? "s" : ""} modified`}`;
}
