import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError, ConfigError } from "../core/errors.ts";
import { loadConfig, resolveConfigPath } from "./load.ts";

describe("loadConfig", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "nodeward-load-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads, validates and returns the absolute file with warnings", async () => {
    const file = join(dir, "nodeward.yaml");
    await writeFile(file, "version: 1\ncoin: smartcash\nnodes: {tags: [a]}\nfirewall:\n  adminAccess: [{cidr: 0.0.0.0/0}]\n");
    const { config, warnings, file: got } = await loadConfig(file);
    assert.equal(got, file);
    assert.equal(config.coin, "smartcash");
    assert.deepEqual(warnings.map((w) => [w.path, w.line]), [["firewall.adminAccess[0].cidr", 5]]);
  });

  it("throws CONFIG_NOT_FOUND with the init hint when the file is missing", async () => {
    const file = join(dir, "nodeward.yaml");
    await assert.rejects(loadConfig(file), (e: unknown) => {
      assert.ok(e instanceof AppError && !(e instanceof ConfigError));
      assert.equal(e.code, "CONFIG_NOT_FOUND");
      assert.equal(e.message, `no configuration file at ${file}`);
      assert.equal(e.hint, "run `nodeward init` to write a starter nodeward.yaml");
      return true;
    });
  });

  it("names the file in the ConfigError it throws", async () => {
    const file = join(dir, "bad.yaml");
    await writeFile(file, "");
    await assert.rejects(loadConfig(file), (e: unknown) => e instanceof ConfigError && e.file === file && e.issues.length === 1);
  });

  it("reports a directory as an unreadable config", async () => {
    await assert.rejects(loadConfig(dir), (e: unknown) => e instanceof ConfigError && /cannot read the file \(EISDIR\)/.test(e.issues[0]?.message ?? ""));
  });
});

describe("resolveConfigPath", () => {
  const cases: [string, string | undefined, Record<string, string>, string][] = [
    ["the flag first", "a.yaml", { NODEWARD_CONFIG: "b.yaml" }, "a.yaml"],
    ["NODEWARD_CONFIG without a flag", undefined, { NODEWARD_CONFIG: "b.yaml" }, "b.yaml"],
    ["nodeward.yaml in the working directory otherwise", undefined, {}, "nodeward.yaml"],
    ["nodeward.yaml when the variable is blank", undefined, { NODEWARD_CONFIG: " " }, "nodeward.yaml"],
    ["a ~ path expanded", undefined, { NODEWARD_CONFIG: "~/n.yaml", HOME: "/home/op" }, "/home/op/n.yaml"],
  ];
  for (const [name, flag, env, want] of cases) it(`takes ${name}`, () => assert.equal(resolveConfigPath(flag, env), want));
});
