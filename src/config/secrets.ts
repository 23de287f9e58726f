import { open } from "node:fs/promises";
import { AppError } from "../core/errors.ts";
import type { Redactor } from "../core/redact.ts";
import { looseMode, modeText } from "./file-mode.ts";
import { expandHome } from "./home.ts";
import type { Config } from "./schema.ts";

export interface ApiKey {
  key: string;
  /** E.g. the key file is readable by others; never contains the key. */
  warnings: string[];
}

/**
 * The provider API key: the environment variable named by provider.apiKeyEnv first, else
 * provider.apiKeyFile (~ expanded), trimmed. The key is registered with the redactor before it
 * is returned and never appears in a message (invariant 5).
 */
export async function readApiKey(
  config: Pick<Config, "provider">,
  env: Readonly<Record<string, string | undefined>>,
  redactor: Redactor,
): Promise<ApiKey> {
  const { apiKeyEnv, apiKeyFile } = config.provider;
  const fromEnv = env[apiKeyEnv]?.trim();
  if (fromEnv) {
    redactor.add(fromEnv);
    return { key: fromEnv, warnings: [] };
  }
  if (apiKeyFile === undefined) {
    throw new AppError("SECRET_MISSING", `no Vultr API key: set ${apiKeyEnv} or provider.apiKeyFile`, {
      hint: `export ${apiKeyEnv} in the shell that runs nodeward, or put the key in a file readable only by you and set provider.apiKeyFile`,
    });
  }
  const file = expandHome(apiKeyFile, env["HOME"]);
  const { text, mode } = await readKeyFile(file, apiKeyEnv);
  const key = text.trim();
  if (key === "") {
    throw new AppError("SECRET_MISSING", `no Vultr API key: ${apiKeyEnv} is unset and ${file} is empty`, {
      hint: `write the key into ${file} (one line), or set ${apiKeyEnv}`,
    });
  }
  redactor.add(key);
  const warnings = looseMode(mode) ? [`${file} is readable by group or others (mode ${modeText(mode)}); run: chmod 600 ${file}`] : [];
  return { key, warnings };
}

async function readKeyFile(file: string, apiKeyEnv: string): Promise<{ text: string; mode: number }> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    const why = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "is not readable by this user" : `cannot be opened (${code})`;
    throw new AppError("SECRET_MISSING", `no Vultr API key: ${apiKeyEnv} is unset and ${file} ${why}`, {
      cause: e,
      hint: `set ${apiKeyEnv}, or fix provider.apiKeyFile`,
    });
  }
  try {
    // Same descriptor for the mode and the read: what was checked is what was read.
    const stat = await handle.stat();
    if (!stat.isFile()) throw new AppError("SECRET_MISSING", `no Vultr API key: ${file} is not a regular file`);
    return { text: await handle.readFile("utf8"), mode: stat.mode };
  } finally {
    await handle.close();
  }
}
