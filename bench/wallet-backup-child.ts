/**
 * One backup (or verify) in a fresh process, reporting its peak RSS: `tsx bench/wallet-backup-child.ts
 * backup WALLET DIR RECIPIENT|passphrase:TEXT` or `verify FILE passphrase:TEXT|identity:KEYFILE`.
 * Prints one JSON line: baseline and peak RSS in MiB (peak is the process's lifetime maximum,
 * baseline is taken after the modules are loaded, right before the work starts).
 */
import { readFileSync } from "node:fs";
import { backupWallet, verifyBackup, type Seal, type Unlock } from "../src/wallet/index.ts";

const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;
const [cmd, a, b, c] = process.argv.slice(2);
const secret = (s: string): Seal | Unlock =>
  s.startsWith("passphrase:") ? { kind: "passphrase", passphrase: s.slice(11) }
  : s.startsWith("identity:") ? { kind: "identities", identities: readFileSync(s.slice(9), "utf8").split("\n").filter((l) => l.startsWith("AGE-SECRET-KEY-")) }
  : { kind: "recipients", recipients: [s] };

const baseline = process.resourceUsage().maxRSS;
const t0 = performance.now();
let size = 0;
if (cmd === "backup" && a && b && c) size = (await backupWallet({ wallet: a, dir: b, seal: secret(c) as Seal, keep: 3 })).size;
else if (cmd === "verify" && a && b) size = (await verifyBackup(a, secret(b) as Unlock)).size;
else throw new Error("usage: backup WALLET DIR RECIPIENT|passphrase:TEXT | verify FILE passphrase:TEXT|identity:KEYFILE");
const ms = Math.round(performance.now() - t0);
console.log(JSON.stringify({ cmd, sizeMiB: mib(size / 1024), baselineMiB: mib(baseline), peakMiB: mib(process.resourceUsage().maxRSS), ms }));
