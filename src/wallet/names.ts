import { basename } from "node:path";

/**
 * Backup file names: `<wallet name>.<UTC timestamp>.age` (e.g. `wallet.dat.20261126T051200.123Z.age`),
 * a sidecar `<that>.sha256` in `sha256sum` format holding the plaintext's SHA-256, and temp files
 * that start with a dot and end `.tmp-<pid>-<random>` so that nothing lists them as backups.
 */

const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z$/;
const BACKUP = /^(?!\.)(.+)\.(\d{8}T\d{6}\.\d{3}Z)\.age$/;
const TEMP = /^\.(.+)\.tmp-(\d+)-[0-9a-f]+$/;

export const SIDECAR_SUFFIX = ".sha256";

/** A name safe in a file name: the wallet's base name, odd characters replaced. */
export function walletName(path: string): string {
  const b = basename(path).replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "");
  return b === "" ? "wallet" : b;
}

export function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "");
}

export function backupFileName(name: string, at: Date): string {
  return `${name}.${stamp(at)}.age`;
}

export interface BackupName {
  name: string;
  createdAt: Date;
}

/** The wallet name and time a backup file name carries, or null when it is not one. */
export function parseBackupName(file: string): BackupName | null {
  const m = BACKUP.exec(file);
  const s = m?.[2] === undefined ? null : STAMP.exec(m[2]);
  if (!m?.[1] || !s) return null;
  const [, y, mo, d, h, mi, se, ms] = s.map(Number) as [number, number, number, number, number, number, number, number];
  const createdAt = new Date(Date.UTC(y, mo - 1, d, h, mi, se, ms));
  return Number.isNaN(createdAt.getTime()) ? null : { name: m[1], createdAt };
}

export function tempName(final: string, pid: number, random: string): string {
  return `.${final}.tmp-${pid}-${random}`;
}

/** The pid that wrote a temp file, or null when the name is not a temp file. */
export function parseTempName(file: string): { final: string; pid: number } | null {
  const m = TEMP.exec(file);
  return m?.[1] && m[2] ? { final: m[1], pid: Number(m[2]) } : null;
}
