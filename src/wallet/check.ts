import { lstat, readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { NotAWalletError, readWalletRecords, type WalletFormat } from "./read.ts";
import { encryptionState, keyCounts, type EncryptionState, type KeyType } from "./records.ts";
import { permissionsOf, type Permissions } from "./perms.ts";
import { WalletError } from "./errors.ts";

/**
 * `wallet check`: is the wallet encrypted, who can read it, and which plaintext copies lie beside
 * it (SmartCash writes up to 10 automatic copies to `backups/`). Reads only; never locks or writes.
 */

export type FindingCode =
  | "unencrypted" | "mixed" | "missing-master-key" | "world-readable" | "world-writable" | "group-readable"
  | "not-yours" | "unreadable";

export interface Finding {
  severity: "critical" | "warning";
  code: FindingCode;
  path: string;
  message: string;
}

export interface WalletFileReport {
  path: string;
  format: WalletFormat;
  state: EncryptionState;
  /** All records in the wallet, and the key-related ones by type. */
  records: number;
  keys: Partial<Record<KeyType, number>>;
  size: number;
  modified: string;
  permissions: Permissions;
  notes: string[];
  findings: Finding[];
}

export interface UnreadableFile {
  path: string;
  error: string;
}

export interface WalletReport {
  wallet: WalletFileReport;
  /** The `backups/` folder beside the wallet, when there is one: every wallet copy in it. */
  backups: { dir: string; copies: WalletFileReport[]; unreadable: UnreadableFile[]; otherFiles: number } | null;
  /** Every finding of the wallet and its copies; empty ⇔ all good. */
  findings: Finding[];
}

const MAX_BACKUP_FILES = 1000;

/** Checks one wallet file and its `backups/` folder. Throws WalletError when PATH is not a readable wallet. */
export async function checkWallet(path: string): Promise<WalletReport> {
  const wallet = await checkFile(path).catch((e: unknown) => {
    throw toWalletError(e, path);
  });
  const backups = await checkBackupsDir(join(dirname(path), "backups"), path);
  const findings = [...wallet.findings, ...(backups?.copies.flatMap((c) => c.findings) ?? []), ...(backups?.unreadable.map(unreadableFinding) ?? [])];
  return { wallet, backups, findings };
}

/** One wallet file: format, encryption state, permissions. */
export async function checkFile(path: string, role: "wallet" | "copy" = "wallet"): Promise<WalletFileReport> {
  const st = await stat(path);
  if (!st.isFile()) throw new NotAWalletError(`${path} is not a regular file`);
  const rec = await readWalletRecords(path);
  const state = encryptionState(rec.counts);
  const permissions = permissionsOf(st);
  const notes = [...rec.notes];
  if (state === "no-keys") notes.push("no private key records: a watch-only or empty wallet");
  return {
    path,
    format: rec.format,
    state,
    records: rec.counts.total,
    keys: keyCounts(rec.counts),
    size: st.size,
    modified: st.mtime.toISOString(),
    permissions,
    notes,
    findings: [...stateFindings(path, state, role), ...permissionFindings(path, permissions)],
  };
}

function stateFindings(path: string, state: EncryptionState, role: "wallet" | "copy"): Finding[] {
  switch (state) {
    case "unencrypted":
      if (role === "copy") return [{ severity: "critical", code: "unencrypted", path, message: "a PLAINTEXT wallet copy (the daemon writes these): anyone who reads it can spend the coins, even after the wallet itself is encrypted. Delete it once you hold a verified encrypted backup (`nodeward wallet backup`)" }];
      return [{ severity: "critical", code: "unencrypted", path, message: "private keys are NOT encrypted: anyone who copies this file can spend the coins. Encrypt it in the wallet software (Settings → Encrypt Wallet, or `encryptwallet`)" }];
    case "mixed":
      return [{ severity: "critical", code: "mixed", path, message: "has a master key but ALSO plaintext private keys: a half-finished encryption or a tampered file; move the funds to a freshly encrypted wallet" }];
    case "missing-master-key":
      return [{ severity: "critical", code: "missing-master-key", path, message: "has encrypted keys but no master key record: the keys cannot be unlocked from this file; find a complete copy" }];
    default:
      return [];
  }
}

function permissionFindings(path: string, p: Permissions): Finding[] {
  const out: Finding[] = [];
  if (p.worldWritable) out.push({ severity: "critical", code: "world-writable", path, message: `mode ${p.mode}: anyone on this machine can replace it; run: chmod 600 ${path}` });
  if (p.worldReadable) out.push({ severity: "critical", code: "world-readable", path, message: `mode ${p.mode}: every user on this machine can read it; run: chmod 600 ${path}` });
  else if (p.groupReadable) out.push({ severity: "warning", code: "group-readable", path, message: `mode ${p.mode}: members of group ${p.gid} can read it; run: chmod 600 ${path}` });
  if (!p.ownedByYou) out.push({ severity: "warning", code: "not-yours", path, message: `owned by ${p.owner ?? `uid ${p.uid}`}, not by the user running this check` });
  return out;
}

async function checkBackupsDir(dir: string, walletPath: string): Promise<WalletReport["backups"]> {
  let names: string[];
  try {
    const st = await lstat(dir);
    if (!st.isDirectory()) return null;
    names = (await readdir(dir)).sort().slice(0, MAX_BACKUP_FILES);
  } catch {
    return null;
  }
  const copies: WalletFileReport[] = [];
  const unreadable: UnreadableFile[] = [];
  let otherFiles = 0;
  for (const name of names) {
    const p = join(dir, name);
    if (p === walletPath) continue;
    try {
      const st = await lstat(p);
      if (!st.isFile()) continue;
      copies.push(await checkFile(p, "copy"));
    } catch (e) {
      if (e instanceof NotAWalletError && /is not a wallet/.test(e.message)) otherFiles++;
      else unreadable.push({ path: p, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { dir, copies, unreadable, otherFiles };
}

function unreadableFinding(u: UnreadableFile): Finding {
  return { severity: "warning", code: "unreadable", path: u.path, message: `could not be checked: ${u.error}` };
}

function toWalletError(e: unknown, path: string): WalletError {
  if (e instanceof NotAWalletError) return new WalletError(e.message, { cause: e, hint: "give the path of wallet.dat (or of a descriptor wallet's SQLite file)" });
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new WalletError(`no file at ${path}`, { cause: e, hint: `check the path; SmartCash keeps it at ~/.smartcash/${basename(path) || "wallet.dat"}` });
  if (code === "EACCES" || code === "EPERM") return new WalletError(`cannot read ${path}: permission denied`, { cause: e, hint: "run as the user that owns the wallet (or root)" });
  if (code === "EISDIR") return new WalletError(`${path} is a directory`, { cause: e, hint: "give the wallet file itself, e.g. ~/.smartcash/wallet.dat" });
  return new WalletError(`cannot check ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}
