import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
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

  it("warns once when a file group or others can read holds inline secrets, naming the keys and chmod 600, never the values", async () => {
    const file = join(dir, "nodeward.yaml");
    const text =
      "version: 1\ncoin: smartcash\nnodes: {tags: [a]}\nalerts:\n  channels:\n" +
      "    - {type: telegram, name: t, botToken: \"123456:AAsecretTOKEN\", chatId: 1}\n" +
      "    - {type: email, name: m, host: smtp.example.com, auth: {user: me, password: pw9}, from: a@example.com, to: [a@example.com]}\n";
    await writeFile(file, text, { mode: 0o644 });
    await chmod(file, 0o644);
    const loose = (await loadConfig(file)).warnings;
    assert.equal(loose.length, 1, JSON.stringify(loose));
    const w = loose[0];
    assert.equal(w?.line, 6);
    assert.equal(
      w?.message,
      `group or others can read this file (mode 644), and it holds secrets inline at alerts.channels[0].botToken, alerts.channels[1].auth.password: ` +
        `run chmod 600 ${file}, or move them to {env: NAME} or {file: PATH}`,
    );
    assert.ok(!w.message.includes("AAsecretTOKEN") && !w.message.includes("pw9"));
    await chmod(file, 0o640);
    assert.match((await loadConfig(file)).warnings[0]?.message ?? "", /group or others can read this file \(mode 640\)/);
    await chmod(file, 0o600);
    assert.deepEqual((await loadConfig(file)).warnings, []);
    await writeFile(file, "version: 1\ncoin: smartcash\nnodes: {tags: [a]}\nalerts:\n  channels:\n    - {type: telegram, name: t, botToken: {env: T}, chatId: 1}\n");
    await chmod(file, 0o644);
    assert.deepEqual((await loadConfig(file)).warnings, [], "no inline secret, nothing to warn about");
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
