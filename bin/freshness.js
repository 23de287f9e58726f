// Is dist/nodeward.mjs (scripts/build.mjs) still the build of what is under src/? Shared by the
// launcher and the build script. Plain JavaScript: it runs before any transpiler is loaded.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Newest modification time and count of the non-test .ts files under src/. */
export function newestSource(root) {
  let newestMs = 0;
  let files = 0;
  for (const entry of readdirSync(join(root, "src"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".test.ts")) continue;
    files++;
    newestMs = Math.max(newestMs, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return { newestMs, files };
}

/** The bundle's path when it is fresh, else undefined (then the sources run through tsx). */
export function freshBundle(root) {
  try {
    const built = JSON.parse(readFileSync(join(root, "dist", "build.json"), "utf8"));
    const now = newestSource(root);
    if (now.files !== built.sourceFiles || now.newestMs > built.sourcesNewestMs) return undefined;
    return join(root, "dist", "nodeward.mjs");
  } catch {
    return undefined;
  }
}
