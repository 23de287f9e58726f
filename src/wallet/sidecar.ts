import { readFile } from "node:fs/promises";
import { SIDECAR_SUFFIX } from "./names.ts";

/**
 * The sidecar beside each backup: one `sha256sum` line, "<hex>  <wallet file name>", so after
 * `age -d -o wallet.dat BACKUP` a plain `sha256sum -c BACKUP.sha256` proves the restore.
 */

export function sidecarText(sha256: string, plainName: string): string {
  return `${sha256}  ${plainName}\n`;
}

export interface Sidecar {
  sha256: string;
  plainName: string;
}

export function parseSidecar(text: string): Sidecar | null {
  const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(text.split("\n")[0]?.trim() ?? "");
  return m?.[1] && m[2] ? { sha256: m[1], plainName: m[2] } : null;
}

/** The sidecar of a backup, or null when there is none; a malformed one is reported as such. */
export async function readSidecar(backup: string): Promise<Sidecar | "malformed" | null> {
  try {
    return parseSidecar(await readFile(`${backup}${SIDECAR_SUFFIX}`, "utf8")) ?? "malformed";
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}
