import { after } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temp directory for one test file, removed when the file's tests are done; `file(name)` names a path in it. */
export function tempDir(): { dir: string; file(name: string): string } {
  const dir = mkdtempSync(join(tmpdir(), "nodeward-store-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, file: (name) => join(dir, name) };
}
