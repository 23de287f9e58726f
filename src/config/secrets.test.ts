import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../core/errors.ts";
import { REDACTED, Redactor } from "../core/redact.ts";
import { readApiKey } from "./secrets.ts";
import type { Config } from "./schema.ts";

const KEY = "VULTRKEY0123456789ABCDEFGHIJKLMNOPQR";

const configWith = (provider: Partial<Config["provider"]> = {}): Pick<Config, "provider"> => ({
  provider: { type: "vultr", apiKeyEnv: "VULTR_API_KEY", baseUrl: "https://api.vultr.com/v2", maxRequestsPerSecond: 28, timeoutSeconds: 30, ...provider },
});

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    return e;
  }
  assert.fail("expected readApiKey to fail");
}

describe("readApiKey", () => {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "nodeward-secrets-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("takes the key from the environment first, trimmed, and registers it for redaction", async () => {
    const redactor = new Redactor();
    await writeFile(join(dir, "key"), "FILEKEY-should-not-be-used\n", { mode: 0o600 });
    const got = await readApiKey(configWith({ apiKeyFile: join(dir, "key") }), { VULTR_API_KEY: `  ${KEY}\n` }, redactor);
    assert.deepEqual(got, { key: KEY, warnings: [] });
    assert.equal(redactor.redact(`token ${KEY}`), `token ${REDACTED}`);
  });

  it("honours a different variable name", async () => {
    const got = await readApiKey(configWith({ apiKeyEnv: "MY_KEY" }), { MY_KEY: KEY, VULTR_API_KEY: "other-key-value" }, new Redactor());
    assert.equal(got.key, KEY);
  });

  it("falls back to the key file, expanding ~, when the variable is unset or blank", async () => {
    await writeFile(join(dir, "vultr.key"), `${KEY}\n`, { mode: 0o600 });
    await chmod(join(dir, "vultr.key"), 0o600);
    const redactor = new Redactor();
    const got = await readApiKey(configWith({ apiKeyFile: "~/vultr.key" }), { HOME: dir, VULTR_API_KEY: " " }, redactor);
    assert.deepEqual(got, { key: KEY, warnings: [] });
    assert.equal(redactor.redact(KEY), REDACTED);
  });

  it("warns with the chmod fix when the key file is readable by group or others", async () => {
    const file = join(dir, "vultr.key");
    await writeFile(file, KEY);
    await chmod(file, 0o644);
    const { key, warnings } = await readApiKey(configWith({ apiKeyFile: file }), {}, new Redactor());
    assert.equal(key, KEY);
    assert.deepEqual(warnings, [`${file} is readable by group or others (mode 644); run: chmod 600 ${file}`]);
  });

  it("fails with SECRET_MISSING when neither the variable nor a file is set", async () => {
    const e = await rejection(readApiKey(configWith(), {}, new Redactor()));
    assert.equal(e.code, "SECRET_MISSING");
    assert.equal(e.message, "no Vultr API key: set VULTR_API_KEY or provider.apiKeyFile");
    assert.ok(e.hint);
  });

  it("fails with SECRET_MISSING when the key file is missing or empty, without any key in the message", async () => {
    const missing = await rejection(readApiKey(configWith({ apiKeyFile: join(dir, "nope") }), {}, new Redactor()));
    assert.equal(missing.code, "SECRET_MISSING");
    assert.match(missing.message, /does not exist/);
    await writeFile(join(dir, "empty"), "\n  \n", { mode: 0o600 });
    const empty = await rejection(readApiKey(configWith({ apiKeyFile: join(dir, "empty") }), {}, new Redactor()));
    assert.match(empty.message, /is empty/);
    const notFile = await rejection(readApiKey(configWith({ apiKeyFile: dir }), {}, new Redactor()));
    assert.match(notFile.message, /not a regular file/);
  });

  it("never puts the key in a warning", async () => {
    const file = join(dir, KEY);
    await writeFile(file, KEY, { mode: 0o666 });
    await chmod(file, 0o666);
    const redactor = new Redactor();
    const { warnings } = await readApiKey(configWith({ apiKeyFile: file }), {}, redactor);
    assert.equal(warnings.length, 1);
    assert.ok(!redactor.redact(warnings.join("\n")).includes(KEY));
  });
});
