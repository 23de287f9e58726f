import { readFile, stat } from "node:fs/promises";
import { WalletError } from "./errors.ts";
import { looseMode } from "../config/file-mode.ts";

/**
 * Where backup secrets come from: never argv. A passphrase from an environment variable or a file
 * named in the config (or a prompt, in cli/), identities from an age-keygen file. The caller
 * registers returned secrets with the redactor.
 */

/** AGE-SECRET-KEY-1… lines of an age-keygen identity file (comments and blank lines skipped). */
export function parseIdentityFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .filter((l) => /^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/.test(l));
}

export async function readIdentityFile(path: string): Promise<{ identities: string[]; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new WalletError(`cannot read identity file ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e, hint: "make one with `age-keygen -o FILE` and keep it offline" });
  }
  const identities = parseIdentityFile(text);
  if (identities.length === 0) throw new WalletError(`${path} holds no AGE-SECRET-KEY-1… line`, { hint: "give a file written by age-keygen" });
  return { identities, warnings: await looseWarnings(path, "identity file") };
}

export async function readPassphraseFile(path: string): Promise<{ passphrase: string; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new WalletError(`cannot read passphrase file ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { cause: e, hint: "check wallet.passphraseFile" });
  }
  const passphrase = text.replace(/\r?\n$/, "");
  if (passphrase === "") throw new WalletError(`passphrase file ${path} is empty`, { hint: "write the passphrase into it (chmod 600)" });
  return { passphrase, warnings: await looseWarnings(path, "passphrase file") };
}

export function passphraseFromEnv(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const v = env[name];
  if (v === undefined || v === "") throw new WalletError(`environment variable ${name} (wallet.passphraseEnv) is not set`, { hint: `export ${name} for this command, or run it on a terminal to be asked` });
  return v;
}

/** A passphrase weak enough to warn about (age's guidance: 8–10 random characters or 4–5 words). */
export function weakPassphrase(p: string): boolean {
  return p.length < 10;
}

async function looseWarnings(path: string, what: string): Promise<string[]> {
  const st = await stat(path).catch(() => null);
  return st && looseMode(st.mode) ? [`${what} ${path} is readable by group or others; run: chmod 600 ${path}`] : [];
}
