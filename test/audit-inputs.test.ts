import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { assembleContext } from "../src/audit/assemble.ts";
import type { CheckOutcome } from "../src/audit/model.ts";
import { realProbes } from "../src/audit/sources/outside.ts";
import { openAuthParts } from "../src/cli/auth-context.ts";
import { auditInputs, type AuditInputFlags } from "../src/cli/commands/audit-inputs.ts";
import { rulesetFor } from "../src/cli/commands/host.ts";
import { planRequestFromConfig } from "../src/cli/context.ts";
import { parseConfigText } from "../src/config/load.ts";
import { Redactor } from "../src/core/redact.ts";
import type { CommandRunner } from "../src/host/index.ts";
import { backupWallet } from "../src/wallet/index.ts";
import { check } from "./helpers/audit.ts";
import { makeSqliteWallet, requireTools, walletRecords } from "./helpers/wallet.ts";

/** The checks of one step with the CLI's real adapters (host, wallet, auth capabilities). */
function withInputs(yaml: string, flags: AuditInputFlags, env: Record<string, string>, runner?: CommandRunner) {
  const { config } = parseConfigText(yaml, "nodeward.yaml");
  const redactor = new Redactor();
  const inputs = auditInputs(flags, { config, env, redactor, ...(runner ? { runner } : {}) });
  const ctx = assembleContext({
    config, now: Date.now(), provider: { ok: false, reason: "no key", fix: "-" }, request: planRequestFromConfig(config),
    probes: realProbes(config), watchDatabase: join(env["HOME"] ?? "/", "none.db"), attestations: {}, ...inputs,
  });
  return { ctx, config, redactor };
}
const one = (xs: readonly CheckOutcome[]) => {
  assert.equal(xs.length, 1);
  return xs[0]!;
};

describe("audit inputs: the host, wallet and auth capabilities behind the audit's ports", () => {
  const dir = mkdtempSync(join(tmpdir(), "nodeward-audit-in-"));
  const env = { HOME: dir };
  const yaml = (extra = "") => `version: 1\ncoin: smartcash\nnodes: { tags: [x] }\n${extra}`;

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("reads RPC exposure from a smartcash.conf given with --conf, and says what only the node can show", async () => {
    const open = join(dir, "open.conf");
    writeFileSync(open, "server=1\nrpcuser=u\nrpcpassword=hunter2hunter2\nrpcallowip=10.0.0.0/8\nsmartnode=1\nsapi=1\nsapiport=8080\n");
    const bad = withInputs(yaml(), { conf: open }, env).ctx;
    const rpc = one(await check("host.rpc", bad));
    assert.equal(rpc.status, "fail");
    assert.match(rpc.evidence, /rpcallowip is set \(line 4\) but rpcbind is not/);
    assert.doesNotMatch(rpc.evidence, /hunter2/);
    assert.equal(one(await check("host.firewall", bad)).status, "cannot-check");
    assert.equal(one(await check("host.ssh", bad)).status, "cannot-check");

    const closed = join(dir, "closed.conf");
    writeFileSync(closed, "server=1\nrpcallowip=127.0.0.1\nrpcbind=127.0.0.1\n");
    const good = one(await check("host.rpc", withInputs(yaml(), { conf: closed }, env).ctx));
    assert.equal(good.status, "pass");
    assert.match(good.evidence, /rpcbind=127\.0\.0\.1/);
    const missing = one(await check("host.rpc", withInputs(yaml(), { conf: join(dir, "nope.conf") }, env).ctx));
    assert.equal(missing.status, "cannot-check");
    assert.match(missing.evidence, /ENOENT/);
  });

  it("reads the loaded ruleset and sshd on the node (--on-node) through the host capability's runner", async () => {
    const conf = join(dir, "node.conf");
    writeFileSync(conf, "rpcbind=127.0.0.1\nrpcallowip=127.0.0.1\n");
    const { config } = parseConfigText(yaml(), "nodeward.yaml");
    const table = rulesetFor(config).table;
    const runner = (nft: "match" | "other" | "none", ssh: number): CommandRunner => ({
      prefix: [],
      describe: (c, a) => [c, ...a].join(" "),
      async run(cmd) {
        if (cmd === "systemctl") return { code: ssh, stdout: "", stderr: "" };
        if (nft === "none") return { code: 1, stdout: "", stderr: "Error: No such file or directory" };
        return { code: 0, stdout: nft === "match" ? table : `${table}\n# edited by hand\n`, stderr: "" };
      },
    });
    const good = withInputs(yaml(), { onNode: true, conf }, env, runner("match", 3)).ctx;
    assert.deepEqual([one(await check("host.firewall", good)).status, one(await check("host.ssh", good)).status, one(await check("host.rpc", good)).status], ["pass", "pass", "pass"]);
    assert.match(one(await check("host.ssh", good)).evidence, /sshd is not running/);
    const stale = withInputs(yaml(), { onNode: true, conf }, env, runner("other", 0)).ctx;
    const fw = one(await check("host.firewall", stale));
    assert.equal(fw.status, "fail");
    assert.match(fw.fix ?? "", /host plan/);
    assert.equal(one(await check("host.ssh", stale)).status, "fail", "sshd active without nodeward's admin-only drop-in");
    const none = withInputs(yaml(), { onNode: true, conf }, env, runner("none", 4)).ctx;
    assert.equal(one(await check("host.firewall", none)).status, "fail");
    assert.equal(one(await check("host.ssh", none)).status, "cannot-check", "no systemd: sshd's state is unknown");
  });

  it("checks a wallet given with --wallet: encryption, mode, and a recent backup it can verify", async (t) => {
    if (!requireTools(t, "sqlite3")) return;
    const wdir = join(dir, "wallets");
    mkdirSync(wdir, { recursive: true });
    const plain = join(wdir, "plain.dat");
    makeSqliteWallet(plain, walletRecords("plain", 3));
    chmodSync(plain, 0o644);
    const bad = withInputs(yaml(), { wallet: plain }, env).ctx;
    assert.equal(one(await check("wallet.encrypted", bad)).status, "fail");
    assert.match(one(await check("wallet.permissions", bad)).evidence, /mode 644/);
    const none = one(await check("wallet.backup", bad));
    assert.equal(none.status, "fail");
    assert.match(none.evidence, /no backup found \(none in .*wallet-backups\)/);

    const wallet = join(wdir, "wallet.dat");
    makeSqliteWallet(wallet, walletRecords("encrypted", 3));
    chmodSync(wallet, 0o600);
    const identity = await generateX25519Identity();
    const idFile = join(dir, "key.txt");
    writeFileSync(idFile, `${identity}\n`, { mode: 0o600 });
    const backups = join(dir, "backups");
    await backupWallet({ wallet, dir: backups, seal: { kind: "recipients", recipients: [await identityToRecipient(identity)] }, keep: 2 });
    const cfg = yaml(`wallet: { backupDir: ${backups}, identityFile: ${idFile}, maxBackupAgeDays: 7 }\n`);
    const { ctx, redactor } = withInputs(cfg, { wallet }, env);
    for (const id of ["wallet.encrypted", "wallet.permissions", "wallet.backup"]) assert.equal(one(await check(id, ctx)).status, "pass", id);
    assert.match(one(await check("wallet.backup", ctx)).evidence, /verified: .*decrypts/);
    assert.ok(!redactor.redact(`x ${identity} x`).includes(identity));
    const unverified = one(await check("wallet.backup", withInputs(yaml(`wallet: { backupDir: ${backups} }\n`), { wallet }, env).ctx));
    assert.equal(unverified.status, "attention");
    assert.match(unverified.evidence, /not verified/);
  });

  it("reads the dashboard's users from the watch database when there is one", async () => {
    const db = join(dir, "watch", "nodeward.db");
    const y = yaml(`watch: { database: ${db} }\n`);
    assert.equal(one(await check("dashboard.2fa", withInputs(y, {}, env).ctx)).evidence, "not given");
    const parts = openAuthParts(db);
    try {
      const user = (name: string, totp: boolean) => ({ name, passwordHash: "scrypt$x", createdAt: 1, totpSecret: totp ? "sealed" : null, totpEnrolledAt: totp ? 1 : null, totpLastStep: null, pendingTotpSecret: null, failedAttempts: 0, lockedUntil: null });
      await parts.store.createUser(user("alice", true));
      await parts.store.createUser(user("bob", false));
      await parts.store.replaceBackupCodes("alice", ["h1", "h2", "h3", "h4"], 1);
    } finally {
      parts.close();
    }
    const { ctx } = withInputs(y, {}, env);
    const twofa = await check("dashboard.2fa", ctx);
    assert.deepEqual(twofa.map((r) => [r.node, r.status]), [["alice", "pass"], ["bob", "fail"]]);
    const codes = await check("dashboard.backup-codes", ctx);
    assert.deepEqual(codes.map((r) => [r.node, r.status]), [["alice", "pass"], ["bob", "fail"]]);
  });
});
