import { open } from "node:fs/promises";
import { resolve } from "node:path";
import { LineCounter, parseDocument, type Document } from "yaml";
import { AppError, ConfigError, type ConfigIssue } from "../core/errors.ts";
import { looseMode, modeText } from "./file-mode.ts";
import { expandHome } from "./home.ts";
import { inlineSecretPaths } from "./inline-secrets.ts";
import { formatPath } from "./issue-path.ts";
import { sortIssues, toConfigIssues } from "./issues.ts";
import { locate, position } from "./locate.ts";
import { configErrorMap, describeValue } from "./messages.ts";
import { configWarnings } from "./rules.ts";
import { configSchema, type Config } from "./schema.ts";

export const DEFAULT_CONFIG_FILE = "nodeward.yaml";

export interface ParsedConfig {
  config: Config;
  /** Valid but risky settings, located like issues; never fatal. */
  warnings: ConfigIssue[];
  /** Keys holding a secret written inline (never the values), with their lines. */
  inlineSecrets: { path: string; line: number; column: number }[];
}

export interface LoadedConfig extends ParsedConfig {
  /** Absolute path of the file that was read. */
  file: string;
}

/** --config, else NODEWARD_CONFIG, else ./nodeward.yaml. */
export function resolveConfigPath(flag?: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const chosen = [flag, env["NODEWARD_CONFIG"]].find((p) => p !== undefined && p.trim() !== "");
  return chosen === undefined ? DEFAULT_CONFIG_FILE : expandHome(chosen.trim(), env["HOME"]);
}

/** Reads and validates a config file. Throws AppError CONFIG_NOT_FOUND, or ConfigError with every issue. */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  let text: string;
  let mode: number;
  try {
    ({ text, mode } = await readWithMode(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new AppError("CONFIG_NOT_FOUND", `no configuration file at ${path}`, {
        cause: e,
        hint: "run `nodeward init` to write a starter nodeward.yaml",
      });
    }
    throw new ConfigError([{ path: "", message: `cannot read the file (${code ?? String(e)})` }], path, { cause: e });
  }
  const parsed = parseConfigText(text, path);
  const file = resolve(path);
  const [first] = parsed.inlineSecrets;
  if (first === undefined || !looseMode(mode)) return { ...parsed, file };
  const exposed: ConfigIssue = {
    path: "",
    message:
      `group or others can read this file (mode ${modeText(mode)}), and it holds secrets inline at ${parsed.inlineSecrets.map((s) => s.path).join(", ")}: ` +
      `run chmod 600 ${file}, or move them to {env: NAME} or {file: PATH}`,
    line: first.line,
    column: first.column,
  };
  return { ...parsed, warnings: sortIssues([...parsed.warnings, exposed]), file };
}

/** The text and the mode from one descriptor: what was checked is what was read. */
async function readWithMode(path: string): Promise<{ text: string; mode: number }> {
  const fh = await open(path, "r");
  try {
    const { mode } = await fh.stat();
    return { text: await fh.readFile("utf8"), mode };
  } finally {
    await fh.close();
  }
}

/** Pure: YAML text → validated Config. Throws ConfigError listing every problem with its line. */
export function parseConfigText(text: string, fileName: string): ParsedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const yamlIssue = (e: { message: string; pos: [number, number] }): ConfigIssue => ({
    path: "",
    message: `YAML: ${e.message.split("\n")[0]}`,
    ...position(lines, e.pos[0]),
  });
  if (doc.errors.length > 0) throw new ConfigError(sortIssues(doc.errors.map(yamlIssue)), fileName);

  const value = toPlain(doc, lines, fileName);
  const result = configSchema.safeParse(value, { error: configErrorMap, reportInput: true });
  const where = (path: readonly PropertyKey[], target: "key" | "value") => locate(doc, lines, path, target);
  if (!result.success) throw new ConfigError(toConfigIssues(result.error.issues, configSchema, where), fileName);

  const warnings = [
    ...doc.warnings.map(yamlIssue),
    ...configWarnings(result.data).map((w) => ({ path: formatPath(w.path), message: w.message, ...where(w.path, "value") })),
  ];
  const inlineSecrets = inlineSecretPaths(configSchema, value).map((p) => ({ path: formatPath(p), ...where(p, "value") }));
  return { config: result.data, warnings: sortIssues(warnings), inlineSecrets };
}

function toPlain(doc: Document, lines: LineCounter, fileName: string): Record<string, unknown> {
  const start = { line: 1, column: 1 };
  if (doc.contents === null) {
    throw new ConfigError(
      [{ path: "", message: "the file is empty: it needs at least version, coin and nodes (`nodeward init` writes a starter)", ...start }],
      fileName,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError([{ path: "", message: `YAML: ${(e as Error).message}`, ...start }], fileName, { cause: e });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const at = doc.contents.range?.[0];
    const pos = at === undefined ? start : position(lines, at);
    throw new ConfigError([{ path: "", message: `expected a mapping of settings (key: value) at the top level, got ${describeValue(value)}`, ...pos }], fileName);
  }
  return value as Record<string, unknown>;
}
