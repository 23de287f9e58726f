import { existsSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { AppError } from "../../core/errors.ts";
import { DEFAULT_CONFIG_FILE } from "../../config/load.ts";
import { expandHome } from "../../config/home.ts";
import {
  MIN_SCRYPT_WORK_FACTOR, WalletError, backupWallet, checkWallet, restoreBackup, verifyBackup, walletConfigSchema, walletName, listBackups,
  type Seal, type Unlock, type WalletConfig, type WalletReport,
} from "../../wallet/index.ts";
import { defaultBackupDir } from "../../wallet/config.ts";
import { renderCheck, stateText } from "../../wallet/render.ts";
import { passphraseFromEnv, readIdentityFile, readPassphraseFile, weakPassphrase } from "../../wallet/secrets.ts";
import { sealKind } from "../../wallet/age-stream.ts";
import { loadConfigFor } from "../context.ts";
import { EXIT, type ExitCode } from "../exit.ts";
import type { GlobalOptions, Io } from "../io.ts";
import { promptHidden } from "./wallet-prompt.ts";

/** `nodeward wallet check|backup|verify|restore|list`, registered from main.ts in one call. */

type Opts = GlobalOptions & Record<string, unknown>;
type Act = (fn: (opts: Opts, args: string[]) => Promise<number>) => (...args: unknown[]) => Promise<void>;

export function registerWalletCommands(program: Command, ctx: { io: () => Io; act: Act }): void {
  const { act } = ctx;
  const w = program.command("wallet").description("wallet.dat safety: encryption check, age-encrypted backups that provably restore");
  w.command("check").description("is the wallet encrypted, who can read it, which plaintext copies lie in backups/ beside it (exit 2 on findings)")
    .argument("[path...]", "wallet files (default: wallet.paths)")
    .action(act(async (o, args) => walletCheck(ctx.io(), o, args)));
  w.command("backup").description("write an age-encrypted backup, prove it decrypts to the same bytes, rotate old ones")
    .argument("[path]", "wallet file (default: every entry of wallet.paths)")
    .option("--to <dir>", "backup directory (default: wallet.backupDir)")
    .option("-r, --recipient <age1...>", "encrypt to this age public key (repeatable; default: wallet.recipients, else a passphrase)", collect, [])
    .option("--keep <n>", "backups kept per wallet (default: wallet.keep)")
    .action(act(async (o, args) => walletBackup(ctx.io(), o, args[0])));
  w.command("verify").description("decrypt a backup in memory and check it against its SHA-256 sidecar (writes nothing)")
    .argument("<file>", "a .age backup")
    .option("-i, --identity <file>", "age-keygen identity file for recipient backups (default: wallet.identityFile)")
    .action(act(async (o, args) => walletVerify(ctx.io(), o, args[0] ?? "")));
  w.command("restore").description("decrypt a backup to a wallet file (0600, atomic); never overwrites without --force")
    .argument("<file>", "a .age backup")
    .requiredOption("--to <path>", "the wallet file to write")
    .option("-i, --identity <file>", "age-keygen identity file for recipient backups (default: wallet.identityFile)")
    .option("--force", "replace an existing file at --to")
    .action(act(async (o, args) => walletRestore(ctx.io(), o, args[0] ?? "")));
  w.command("list").description("the backups of a wallet in the backup directory, newest first")
    .argument("[path]", "wallet file or name (default: every entry of wallet.paths)")
    .option("--to <dir>", "backup directory (default: wallet.backupDir)")
    .action(act(async (o, args) => walletList(ctx.io(), o, args[0])));
}

const collect = (v: string, prev: string[]) => [...prev, v];

/** The wallet section: from the config file when there is one, else the defaults (no config needed for wallet commands). */
async function walletConfig(io: Io, o: GlobalOptions): Promise<WalletConfig> {
  const named = (o.config ?? io.env["NODEWARD_CONFIG"] ?? "").trim() !== "";
  if (named || existsSync(DEFAULT_CONFIG_FILE)) return (await loadConfigFor(io, o)).config.wallet;
  return walletConfigSchema.parse({});
}

const home = (io: Io, p: string) => expandHome(p, io.env["HOME"]);

function backupDir(io: Io, cfg: WalletConfig, flag: unknown): string {
  if (typeof flag === "string" && flag !== "") return home(io, flag);
  if (cfg.backupDir) return home(io, cfg.backupDir);
  return defaultBackupDir(io.env);
}

function walletPaths(io: Io, cfg: WalletConfig, args: readonly string[]): string[] {
  if (args.length > 0) return args.map((a) => home(io, a));
  if (cfg.paths.length > 0) return cfg.paths.map((p) => home(io, p));
  throw new AppError("USAGE", "no wallet given", { hint: "pass its path (e.g. ~/.smartcash/wallet.dat) or list it in wallet.paths" });
}

async function walletCheck(io: Io, o: Opts, args: string[]): Promise<ExitCode> {
  const cfg = await walletConfig(io, o);
  const reports: WalletReport[] = [];
  for (const p of walletPaths(io, cfg, args)) reports.push(await checkWallet(p));
  if (o.json === true) io.json({ wallets: reports, findings: reports.flatMap((r) => r.findings) });
  else io.out(renderCheck(reports, io.style));
  return reports.some((r) => r.findings.length > 0) ? EXIT.changes : EXIT.ok;
}

async function walletBackup(io: Io, o: Opts, arg: string | undefined): Promise<ExitCode> {
  const cfg = await walletConfig(io, o);
  const paths = walletPaths(io, cfg, arg === undefined ? [] : [arg]);
  const keep = o.keep === undefined ? cfg.keep : Number(o.keep);
  if (!Number.isInteger(keep) || keep < 1) throw new AppError("USAGE", `--keep must be a whole number ≥ 1, got ${String(o.keep)}`);
  const recipients = (o.recipient as string[]).length > 0 ? (o.recipient as string[]) : cfg.recipients;
  const seal: Seal = recipients.length > 0 ? { kind: "recipients", recipients } : { kind: "passphrase", passphrase: await backupPassphrase(io, cfg), scryptWorkFactor: Math.max(cfg.scryptWorkFactor, MIN_SCRYPT_WORK_FACTOR) };
  const verifyWith = recipients.length > 0 && cfg.identityFile ? await identities(io, cfg, undefined) : undefined;
  const dir = backupDir(io, cfg, o.to);
  const names = paths.map((p) => walletName(p));
  const dup = names.find((x, i) => names.indexOf(x) !== i);
  if (dup !== undefined) throw new AppError("USAGE", `two wallets are named ${dup}: their backups would rotate each other out`, { hint: "back them up one at a time, each with its own --to directory" });
  let code: ExitCode = EXIT.ok;
  const results = [];
  for (const wallet of paths) {
    if (!io.quiet && o.json !== true) io.err(io.errStyle.dim(`backing up ${wallet} → ${dir}${seal.kind === "passphrase" ? " (scrypt key derivation takes a few seconds)" : ""}`));
    const progress = liveProgress(io, o.json === true);
    const r = await backupWallet({ wallet, dir, seal, keep, ...(verifyWith ? { verifyWith } : {}), ...(progress ? { onProgress: progress.update } : {}) }).finally(() => progress?.done());
    results.push(r);
    for (const warning of r.warnings) io.err(`${io.errStyle.red(io.errStyle.bold("WARNING:"))} ${warning}`);
    if (r.walletState !== "encrypted" && r.walletState !== "no-keys") code = EXIT.changes;
    if (o.json !== true) {
      io.out(`${io.style.green("✓")} ${r.file}`);
      io.out(`  ${r.size} bytes, SHA-256 ${r.sha256} (sidecar ${basename(r.sidecar)})`);
      io.out(`  verified: decrypted in memory with the ${r.verifiedWith === "file-key" ? "file key (no identity file configured)" : r.verifiedWith} and compared`);
      io.out(`  wallet keys: ${stateText(r.walletState, io.style)}`);
      if (r.rotated.length > 0) io.out(`  rotated out: ${r.rotated.map((f) => basename(f)).join(", ")}`);
      if (r.sweptTemps.length > 0) io.out(io.style.dim(`  removed ${r.sweptTemps.length} temp file(s) of interrupted backups`));
    }
  }
  if (o.json === true) io.json({ backups: results });
  return code;
}

async function walletVerify(io: Io, o: Opts, file: string): Promise<ExitCode> {
  const cfg = await walletConfig(io, o);
  const r = await verifyBackup(home(io, file), await unlockFor(io, cfg, o.identity, home(io, file)));
  if (o.json === true) io.json(r);
  else {
    io.out(`${io.style.green("✓")} ${r.file} decrypts: ${r.size} bytes, SHA-256 ${r.sha256}`);
    io.out(r.matches ? "  matches the SHA-256 recorded in its sidecar" : io.style.yellow("  no .sha256 sidecar: integrity rests on age's authentication alone"));
  }
  return EXIT.ok;
}

async function walletRestore(io: Io, o: Opts, file: string): Promise<ExitCode> {
  const cfg = await walletConfig(io, o);
  const src = home(io, file);
  const r = await restoreBackup(src, home(io, String(o.to)), await unlockFor(io, cfg, o.identity, src), { force: o.force === true });
  for (const warning of r.warnings) io.err(`${io.errStyle.red(io.errStyle.bold("WARNING:"))} ${warning}`);
  if (o.json === true) io.json(r);
  else {
    io.out(`${io.style.green("✓")} restored ${r.to} (${r.size} bytes, mode 0600${r.replaced ? ", replaced the file that was there" : ""})`);
    io.out(r.checkedSidecar ? `  SHA-256 ${r.sha256} matches the backup's sidecar` : io.style.yellow(`  SHA-256 ${r.sha256}; no sidecar to compare with`));
  }
  return EXIT.ok;
}

async function walletList(io: Io, o: Opts, arg: string | undefined): Promise<ExitCode> {
  const cfg = await walletConfig(io, o);
  const dir = backupDir(io, cfg, o.to);
  const names = (arg === undefined ? walletPaths(io, cfg, []) : [arg]).map((p) => walletName(p));
  const all = [];
  for (const n of names) all.push({ wallet: n, dir, backups: (await listBackups(dir, n)).map((b) => ({ ...b, createdAt: b.createdAt.toISOString() })) });
  if (o.json === true) io.json({ wallets: all });
  else for (const l of all) {
    io.out(io.style.bold(`${l.wallet} in ${dir}: ${l.backups.length} backup(s)`));
    for (const b of l.backups) io.out(`  ${b.createdAt}  ${basename(b.file)}  ${b.size} bytes${b.hasSidecar ? "" : io.style.yellow("  (no sidecar)")}`);
  }
  return EXIT.ok;
}

/** "encrypting: 120 MiB" rewritten in place on a terminal; nothing elsewhere. */
function liveProgress(io: Io, json: boolean): { update: (bytes: number) => void; done: () => void } | undefined {
  if (!io.stderrIsTTY || io.quiet || json) return undefined;
  let shown = -1;
  return {
    update: (bytes) => {
      const mib = Math.floor(bytes / 2 ** 23) * 8;
      if (mib === shown) return;
      shown = mib;
      process.stderr.write(`\r\u001b[2K  encrypting: ${mib} MiB`);
    },
    done: () => void (shown >= 0 && process.stderr.write("\r\u001b[2K")),
  };
}

/** Passphrase for a new backup: env var or file named in the config, else asked twice on the terminal. */
async function backupPassphrase(io: Io, cfg: WalletConfig): Promise<string> {
  const p = await configuredPassphrase(io, cfg);
  if (p !== undefined) return p;
  if (!io.stdinIsTTY) throw noPassphrase();
  const first = await promptHidden("Backup passphrase: ");
  if (first === "") throw new WalletError("empty passphrase", { hint: "use 4–5 random words or 10+ random characters" });
  if (weakPassphrase(first)) io.err(io.errStyle.yellow("warning: a short passphrase; anyone holding the backup can try guesses offline. Prefer 4–5 random words."));
  const second = await promptHidden("Same passphrase again: ");
  if (first !== second) throw new WalletError("the two passphrases differ; nothing was written", { hint: "run the backup again" });
  io.redactor.add(first);
  return first;
}

async function configuredPassphrase(io: Io, cfg: WalletConfig): Promise<string | undefined> {
  let p: string | undefined;
  if (cfg.passphraseEnv && io.env[cfg.passphraseEnv] !== undefined) p = passphraseFromEnv(io.env, cfg.passphraseEnv);
  else if (cfg.passphraseFile) {
    const r = await readPassphraseFile(home(io, cfg.passphraseFile));
    for (const w of r.warnings) io.err(`${io.errStyle.yellow("warning:")} ${w}`);
    p = r.passphrase;
  } else if (cfg.passphraseEnv) passphraseFromEnv(io.env, cfg.passphraseEnv); // throws: named but unset
  io.redactor.add(p);
  return p;
}

const noPassphrase = () =>
  new WalletError("no passphrase: standard input is not a terminal", { hint: "set wallet.passphraseEnv or wallet.passphraseFile, or use age recipients (wallet.recipients / --recipient)" });

async function identities(io: Io, cfg: WalletConfig, flag: unknown): Promise<Unlock | undefined> {
  const file = typeof flag === "string" && flag !== "" ? flag : cfg.identityFile;
  if (!file) return undefined;
  const r = await readIdentityFile(home(io, file));
  for (const w of r.warnings) io.err(`${io.errStyle.yellow("warning:")} ${w}`);
  for (const id of r.identities) io.redactor.add(id);
  return { kind: "identities", identities: r.identities };
}

/** How to open a backup: what its header asks for — an identity file (flag or config) or the passphrase. */
async function unlockFor(io: Io, cfg: WalletConfig, flag: unknown, file: string): Promise<Unlock> {
  const kind = await sealKind(file).catch(() => "unknown" as const);
  if (kind !== "passphrase") {
    const ids = await identities(io, cfg, flag);
    if (ids) return ids;
    if (kind === "recipients") throw new WalletError(`${file} is encrypted to age keys and no identity file is given`, { hint: "pass --identity KEYFILE (the age-keygen file whose public key it was made for) or set wallet.identityFile" });
  }
  const p = await configuredPassphrase(io, cfg);
  if (p !== undefined) return { kind: "passphrase", passphrase: p };
  if (!io.stdinIsTTY) throw new WalletError(`no passphrase to open ${file}`, { hint: "set wallet.passphraseEnv or wallet.passphraseFile, or run on a terminal to be asked" });
  const typed = await promptHidden("Backup passphrase: ");
  io.redactor.add(typed);
  return { kind: "passphrase", passphrase: typed };
}
