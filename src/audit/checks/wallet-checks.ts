import type { AuditContext } from "../context.ts";
import type { AuditCheck, CheckOutcome } from "../model.ts";
import type { WalletFacts } from "../ports.ts";
import { fromProvided } from "./provided.ts";

const NOT_GIVEN = "pass `--wallet /path/to/wallet.dat` (on the node, or a copy)";

function walletCheck(id: string, title: string, passes: string, judge: (facts: WalletFacts, now: number) => CheckOutcome): AuditCheck<AuditContext> {
  return {
    id,
    step: "wallet",
    title,
    passes,
    run: (ctx) => fromProvided(ctx.wallet, NOT_GIVEN, async (probe) => [{ node: probe.path, ...judge(await probe.inspect(ctx.signal), ctx.now) }]),
  };
}

export const walletEncrypted = walletCheck("wallet.encrypted", "Wallet encrypted", "wallet.dat holds only encrypted private keys (encryptwallet was run).", (w) => {
  if (w.encrypted === null) return { status: "cannot-check", evidence: `${w.path} could not be read`, fix: "run the audit as the wallet's owner" };
  return w.encrypted
    ? { status: "pass", evidence: w.encryptionDetail }
    : { status: "fail", evidence: `${w.encryptionDetail}: anyone with the file spends the coins`, fix: "encrypt it (`smartcash-cli encryptwallet` with a strong passphrase kept offline), delete plaintext copies, then `nodeward wallet backup`" };
});

export const walletPermissions = walletCheck("wallet.permissions", "Wallet readable only by its owner", "wallet.dat has no group or other permission bits (mode 600 or stricter).", (w) => {
  if (w.mode === null) return { status: "cannot-check", evidence: "the file's mode could not be read", fix: "run the audit as the wallet's owner" };
  const mode = (w.mode & 0o777).toString(8).padStart(3, "0");
  return (w.mode & 0o077) === 0
    ? { status: "pass", evidence: `mode ${mode}` }
    : { status: "fail", evidence: `mode ${mode}: group or others may read it`, fix: `chmod 600 ${w.path}` };
});

export const walletBackup = walletCheck("wallet.backup", "Recent backup that restores", "The newest encrypted backup is younger than the wallet's configured maximum age and decrypts to a wallet.", (w, now) => {
  const b = w.backup;
  if (b.newestAt === null) return { status: "fail", evidence: `no backup found${b.detail ? ` (${b.detail})` : ""}`, fix: "run `nodeward wallet backup`" };
  const days = Math.floor((now - b.newestAt) / 86_400_000);
  if (days > b.maxAgeDays) return { status: "fail", evidence: `newest backup is ${days} days old (maximum ${b.maxAgeDays})`, fix: "run `nodeward wallet backup` (and schedule it)" };
  if (b.verified === false) return { status: "fail", evidence: `newest backup (${days} days old) does not restore: ${b.detail}`, fix: "run `nodeward wallet backup` again, then `nodeward wallet verify`" };
  if (b.verified === null) return { status: "attention", evidence: `newest backup is ${days} days old, not verified`, fix: "run `nodeward wallet verify`" };
  return { status: "pass", evidence: `newest backup ${days} days old (maximum ${b.maxAgeDays}), verified: ${b.detail}` };
});
