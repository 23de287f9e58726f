/**
 * bench:wallet — memory and time of `wallet backup` and `wallet verify` on a large Berkeley DB wallet
 * (default 200 MiB, BENCH_WALLET_MIB), made with db5.3_load (1 MiB overflow values over many pages).
 * Each step runs in a fresh process (bench/wallet-backup-child.ts) so its peak RSS is its own.
 * Recipient mode shows the streaming bound; passphrase mode adds scrypt's 256 MiB (N = 2^18, r = 8)
 * for the key derivation, which is freed before the payload streams.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeLargeBdbWallet } from "../test/helpers/wallet.ts";

const mib = Number(process.env.BENCH_WALLET_MIB ?? 200);
const dir = mkdtempSync(join(tmpdir(), "nodeward-bench-wallet-"));
const child = (args: string[]) => {
  const r = spawnSync(process.execPath, ["--import", "tsx", new URL("./wallet-backup-child.ts", import.meta.url).pathname, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}") as { peakMiB: number; baselineMiB: number; ms: number; sizeMiB: number };
};
try {
  const wallet = join(dir, "wallet.dat");
  await makeLargeBdbWallet(wallet, mib << 20);
  const key = join(dir, "key.txt");
  spawnSync("age-keygen", ["-o", key]);
  const recipient = spawnSync("age-keygen", ["-y", key], { encoding: "utf8" }).stdout.trim();
  console.log(`wallet: ${(statSync(wallet).size / 2 ** 20).toFixed(1)} MiB Berkeley DB`);
  const rows: Array<[string, ReturnType<typeof child>]> = [];
  rows.push(["backup → recipient", child(["backup", wallet, join(dir, "r"), recipient])]);
  const rfile = join(dir, "r", readdirSync(join(dir, "r")).find((f) => f.endsWith(".age")) ?? "");
  rows.push(["verify (identity)", child(["verify", rfile, `identity:${key}`])]);
  rows.push(["backup → passphrase (scrypt 18)", child(["backup", wallet, join(dir, "p"), "passphrase:bench passphrase words"])]);
  for (const [name, r] of rows) console.log(`${name.padEnd(34)} ${String(r.ms).padStart(6)} ms   RSS baseline ${r.baselineMiB} MiB, peak ${r.peakMiB} MiB (+${(r.peakMiB - r.baselineMiB).toFixed(1)} MiB for a ${r.sizeMiB} MiB wallet)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
