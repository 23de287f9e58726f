/**
 * The wallet capability's public face, for the CLI and (later) `nodeward audit`:
 * check a wallet, back it up, find and verify backups, restore one.
 */
export { checkWallet, checkFile, type WalletReport, type WalletFileReport, type Finding, type FindingCode } from "./check.ts";
export { backupWallet, type BackupOptions, type BackupResult } from "./backup.ts";
export { verifyBackup, type VerifyResult } from "./verify.ts";
export { restoreBackup, type RestoreResult } from "./restore.ts";
export { latestBackup, listBackups, type BackupFile } from "./rotate.ts";
export { walletName } from "./names.ts";
export { MIN_SCRYPT_WORK_FACTOR, type Seal, type Unlock } from "./age-stream.ts";
export { walletConfigSchema, type WalletConfig } from "./config.ts";
export type { EncryptionState } from "./records.ts";
export type { WalletFormat } from "./read.ts";
export { WalletError } from "./errors.ts";
