import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain JavaScript module without types (it runs before any transpiler)
import { freshBundle, newestSource } from "../bin/freshness.js";

const fresh = freshBundle as (root: string) => string | undefined;
const newest = newestSource as (root: string) => { newestMs: number; files: number };

/** A package layout with src/ files and, optionally, a build record. */
function layout(): { root: string; build: () => void; touch: (rel: string, secondsFromNow: number) => void; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), "nodeward-launcher-"));
  mkdirSync(join(root, "src", "cli"), { recursive: true });
  mkdirSync(join(root, "dist"));
  const touch = (rel: string, s: number) => {
    const p = join(root, rel);
    writeFileSync(p, "export {};\n");
    const t = Date.now() / 1000 + s;
    utimesSync(p, t, t);
  };
  touch("src/cli/main.ts", -100);
  touch("src/cli/main.test.ts", -100);
  return {
    root,
    touch,
    build: () => {
      const n = newest(root);
      writeFileSync(join(root, "dist", "nodeward.mjs"), "export const run = async () => 0;\n");
      writeFileSync(join(root, "dist", "build.json"), JSON.stringify({ sourcesNewestMs: n.newestMs, sourceFiles: n.files }));
    },
    done: () => rmSync(root, { recursive: true, force: true }),
  };
}

describe("the launcher's choice between the bundle and the sources", () => {
  it("runs the bundle only while it is the build of every source file", () => {
    const l = layout();
    try {
      assert.equal(fresh(l.root), undefined, "no build yet");
      l.build();
      assert.equal(fresh(l.root), join(l.root, "dist", "nodeward.mjs"));
      l.touch("src/cli/other.test.ts", 50);
      assert.ok(fresh(l.root) !== undefined, "tests are not in the bundle");
      l.touch("src/cli/main.ts", 10);
      assert.equal(fresh(l.root), undefined, "a source edited after the build");
      l.build();
      l.touch("src/cli/added.ts", -200);
      assert.equal(fresh(l.root), undefined, "a source added, even with an old time");
      writeFileSync(join(l.root, "dist", "build.json"), "{not json");
      assert.equal(fresh(l.root), undefined, "a damaged build record");
    } finally {
      l.done();
    }
  });

  it("runs the CLI from source when told to, with the same result", () => {
    const viaLauncher = spawnSync(process.execPath, ["bin/nodeward.js", "--version"], { encoding: "utf8" });
    const viaSource = spawnSync(process.execPath, ["bin/nodeward.js", "--version"], { encoding: "utf8", env: { ...process.env, NODEWARD_FROM_SOURCE: "1" } });
    assert.equal(viaLauncher.status, 0, viaLauncher.stderr);
    assert.equal(viaSource.status, 0, viaSource.stderr);
    assert.match(viaLauncher.stdout, /^\d+\.\d+\.\d+\n$/);
    assert.equal(viaLauncher.stdout, viaSource.stdout);
  });
});
