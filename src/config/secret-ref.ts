import { readFile, stat } from "node:fs/promises";
import { z } from "zod";
import { AppError } from "../core/errors.ts";
import type { Redactor } from "../core/redact.ts";
import { looseMode } from "./file-mode.ts";
import { expandHome } from "./home.ts";
import { urlPortProblem } from "./port-spec.ts";

/**
 * A secret in nodeward.yaml (webhook URL, bot token, SMTP password): written inline, or — better —
 * named: `{ env: NAME }` reads an environment variable, `{ file: PATH }` a file (chmod 600).
 * Resolved secrets are registered with the redactor and never appear in a message.
 */
const envRef = z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "not an environment variable name" }).describe("Environment variable holding the secret.") });
const fileRef = z.strictObject({ file: z.string().min(1).describe("File holding the secret (~ expands; keep it chmod 600).") });

export const secretRefSchema = z
  .union([z.string().min(1), envRef, fileRef])
  .describe('A secret: inline text, {env: VARIABLE} or {file: PATH} (preferred: keeps it out of this file).');

/**
 * A secret that is a URL (a webhook URL carries its token). Written inline, its port is checked
 * when the file is loaded; the message names the port, never the URL.
 */
export const secretUrlRefSchema = z
  .union([
    z
      .string()
      .min(1)
      .superRefine((url, ctx) => {
        const problem = urlPortProblem(url);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: `the URL's ${problem}` });
      }),
    envRef,
    fileRef,
  ])
  .describe(secretRefSchema.description ?? "");

export type SecretRef = z.infer<typeof secretRefSchema>;

/** Whether a schema is one of the secret references above (also after .describe(), which copies it). */
export function isSecretRefSchema(schema: z.ZodType): boolean {
  return schema instanceof z.ZodUnion && (schema.options as readonly z.ZodType[]).includes(envRef);
}

export async function resolveSecret(ref: SecretRef, what: string, env: Readonly<Record<string, string | undefined>>, redactor: Redactor): Promise<{ value: string; warnings: string[] }> {
  let value: string;
  const warnings: string[] = [];
  if (typeof ref === "string") {
    value = ref;
  } else if ("env" in ref) {
    const v = env[ref.env]?.trim();
    if (!v) throw new AppError("SECRET_MISSING", `${what}: environment variable ${ref.env} is not set`, { hint: `export ${ref.env} for the process that runs nodeward` });
    value = v;
  } else {
    const path = expandHome(ref.file, env["HOME"]);
    try {
      value = (await readFile(path, "utf8")).trim();
      const mode = (await stat(path)).mode;
      if (looseMode(mode)) warnings.push(`${path} (${what}) is readable by group or others; run: chmod 600 ${path}`);
    } catch (e) {
      throw new AppError("SECRET_MISSING", `${what}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? "error"})`, { cause: e });
    }
    if (value === "") throw new AppError("SECRET_MISSING", `${what}: ${path} is empty`);
  }
  redactor.add(value);
  return { value, warnings };
}
