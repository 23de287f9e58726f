/**
 * The installed package's own directory, for the files nodeward reads or runs at runtime (its
 * package.json, the vendored Vultr spec, web assets, the simulator's host program). Found by
 * walking up from this module to the package.json named "nodeward", so that it is the same
 * whether the code runs from src/ through tsx or from the bundle in dist/.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "nodeward") return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`nodeward's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** A path inside the package: packagePath("vendor", "vultr", "v0.0.1.json"). */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
