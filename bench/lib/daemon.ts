/**
 * The watch daemon as the benchmarks run it: bench/watch-daemon.ts bundled like dist/nodeward.mjs
 * (scripts/bundle.mjs) and run on plain node with the NODE_OPTIONS of the systemd unit, so the
 * figures are those of the daemon as shipped.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

/**
 * Bundles watch-daemon.ts into bench/.tmp-<pid>/ (inside the repo, so packages resolve from its
 * node_modules). Returns the bundle's path and how to remove it.
 */
export async function bundleDaemon(repo: string): Promise<{ file: string; remove: () => Promise<void> }> {
  const out = join(repo, `bench/.tmp-${process.pid}`);
  const file = join(out, "watch-daemon.mjs");
  const { bundle } = (await import(join(repo, "scripts/bundle.mjs"))) as { bundle: (entry: string, outfile: string) => Promise<void> };
  await bundle(join(repo, "bench/watch-daemon.ts"), file);
  return { file, remove: async () => rmSync(out, { recursive: true, force: true }) };
}

/** The node flags the systemd unit gives the daemon (its Environment=NODE_OPTIONS=…). */
export function unitNodeOptions(repo: string): string[] {
  const unit = readFileSync(join(repo, "packaging/nodeward-watch.service"), "utf8");
  // Environment=NODE_OPTIONS=… or, with spaces in the value, Environment="NODE_OPTIONS=… …".
  const m = /^Environment=(?:"NODE_OPTIONS=([^"\n]*)"|NODE_OPTIONS=(\S*))\s*$/m.exec(unit);
  if (m === null) throw new Error("packaging/nodeward-watch.service sets no NODE_OPTIONS: the bench would not run the daemon as shipped");
  return (m[1] ?? m[2] ?? "").split(/\s+/).filter((x) => x !== "");
}
