import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmod, lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../core/errors.ts";
import { rewriteConfigFile } from "./rewrite.ts";

describe("rewriteConfigFile", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "nodeward-rewrite-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("replaces the text, keeps the mode, follows a symlink and leaves no temp file", async () => {
    const real = join(dir, "real.yaml");
    const link = join(dir, "nodeward.yaml");
    await writeFile(real, "old\n");
    await chmod(real, 0o600);
    await symlink("real.yaml", link);
    await rewriteConfigFile(link, "old\n", "new\n");
    assert.equal(await readFile(real, "utf8"), "new\n");
    assert.ok((await lstat(link)).isSymbolicLink(), "the link is still a link");
    assert.equal((await stat(real)).mode & 0o777, 0o600);
    assert.deepEqual((await readdir(dir)).sort(), ["nodeward.yaml", "real.yaml"]);
  });

  it("writes nothing when the file changed since it was read", async () => {
    const file = join(dir, "nodeward.yaml");
    await writeFile(file, "edited by hand meanwhile\n");
    await assert.rejects(rewriteConfigFile(file, "old\n", "new\n"), (e: unknown) => e instanceof AppError && e.code === "IO" && /changed while the import ran/.test(e.message));
    assert.equal(await readFile(file, "utf8"), "edited by hand meanwhile\n");
    assert.deepEqual(await readdir(dir), ["nodeward.yaml"]);
  });

  it("says which file it cannot find", async () => {
    await assert.rejects(rewriteConfigFile(join(dir, "nope.yaml"), "", "x"), (e: unknown) => e instanceof AppError && e.code === "IO" && /cannot find .*nope\.yaml \(ENOENT\)/.test(e.message));
  });
});
