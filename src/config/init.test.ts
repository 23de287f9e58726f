import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../core/errors.ts";
import { starterConfig, writeStarter } from "./init.ts";
import { knownKeysAt } from "./keys.ts";
import { parseConfigText } from "./load.ts";
import { configSchema } from "./schema.ts";

describe("starterConfig", () => {
  it("parses without issues or warnings and selects tag smartnode for coin smartcash", () => {
    const { config, warnings } = parseConfigText(starterConfig(), "nodeward.yaml");
    assert.deepEqual(warnings, []);
    assert.equal(config.coin, "smartcash");
    assert.deepEqual(config.nodes, { tags: ["smartnode"] });
    assert.deepEqual(config.firewall.adminAccess, []);
  });

  it("spells out exactly the defaults", () => {
    const minimal = parseConfigText("version: 1\ncoin: smartcash\nnodes: {tags: [smartnode]}\n", "x").config;
    assert.deepEqual(parseConfigText(starterConfig(), "nodeward.yaml").config, minimal);
  });

  it("mentions every key of the schema, each with a comment", () => {
    const lines = starterConfig().split("\n");
    const paths: string[][] = [[], ["provider"], ["nodes"], ["firewall"]];
    for (const path of paths) {
      for (const key of knownKeysAt(configSchema, path)) {
        const line = lines.find((l) => new RegExp(`^\\s*(# )?${key}:`).test(l));
        assert.ok(line, `starter lacks ${[...path, key].join(".")}`);
        if (!["provider", "nodes", "firewall"].includes(key)) assert.match(line, / # \S/, `${key} has no comment`);
      }
    }
  });
});

describe("writeStarter", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "nodeward-init-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the starter to a new file", async () => {
    const file = join(dir, "nodeward.yaml");
    await writeStarter(file);
    assert.equal(await readFile(file, "utf8"), starterConfig());
  });

  it("refuses to overwrite an existing file unless forced", async () => {
    const file = join(dir, "nodeward.yaml");
    await writeFile(file, "mine\n");
    await assert.rejects(writeStarter(file, { force: false }), (e: unknown) => e instanceof AppError && e.code === "USAGE" && /already exists/.test(e.message));
    assert.equal(await readFile(file, "utf8"), "mine\n");
    await writeStarter(file, { force: true });
    assert.equal(await readFile(file, "utf8"), starterConfig());
  });
});
