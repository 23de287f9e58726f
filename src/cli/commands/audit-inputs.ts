import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { AuditDeps } from "../../audit/assemble.ts";
import type { HostFacts, HostProbe, Provided, WalletFacts, WalletProbe } from "../../audit/ports.ts";
import { watchDatabasePath } from "../../audit/sources/watch-db.ts";
import { expandHome } from "../../config/home.ts";
import type { Config } from "../../config/schema.ts";
import type { Redactor } from "../../core/redact.ts";
import { auditDaemonConf, hostStatus, parseDaemonConf, runnerFromEnv, type CommandRunner, type Finding } from "../../host/index.ts";
import { checkWallet, latestBackup, verifyBackup, walletName } from "../../wallet/index.ts";
import { defaultBackupDir } from "../../wallet/config.ts";
import { passphraseFromEnv, readIdentityFile, readPassphraseFile } from "../../wallet/secrets.ts";
import type { Unlock } from "../../wallet/age-stream.ts";
import { dashboardUsersAt } from "../auth-context.ts";
import { auditOptions, rulesetFor } from "./host.ts";

/** What the operator gave for the host, wallet and dashboard steps. */
export interface AuditInputFlags {
  /** The node's smartcash.conf (host.rpc); with --on-node it replaces lockdown.daemonConf. */
  conf?: string;
  /** Run the host checks on this machine (the node itself). */
  onNode?: boolean;
  wallet?: string;
}

export interface InputEnv {
  config: Config;
  env: Readonly<Record<string, string | undefined>>;
  redactor: Redactor;
  /** How host commands run (default: from the environment, as `nodeward host` does). */
  runner?: CommandRunner;
}

/**
 * The composition root's adapters from the host, wallet and auth capabilities to the audit's
 * ports (audit/ports.ts). Each is read-only: no ruleset loaded, no wallet locked, no secret opened.
 */
export function auditInputs(flags: AuditInputFlags, e: InputEnv): Pick<AuditDeps, "host" | "wallet" | "dashboard"> {
  const home = (p: string) => expandHome(p, e.env["HOME"]);
  const db = watchDatabasePath(e.config, e.env);
  return {
    host: hostInput(flags, e, home),
    wallet: flags.wallet === undefined ? { state: "not-given" } : { state: "given", probe: walletProbe(home(flags.wallet), e, home) },
    dashboard: existsSync(db) ? { state: "given", probe: dashboardUsersAt(db) } : { state: "not-given" },
  };
}

function hostInput(flags: AuditInputFlags, e: InputEnv, home: (p: string) => string): Provided<HostProbe> {
  const conf = flags.conf === undefined ? undefined : home(flags.conf);
  if (flags.onNode === true) {
    const daemonConf = conf ?? home(e.config.lockdown.daemonConf);
    return {
      state: "given",
      probe: {
        source: "this machine",
        async inspect(): Promise<HostFacts> {
          const st = await hostStatus({
            runner: e.runner ?? runnerFromEnv(e.env), ruleset: rulesetFor(e.config), sshdDropIn: e.config.lockdown.sshdDropIn, daemonConf, audit: auditOptions(e.config),
          });
          return {
            ruleset: st.rulesetLoaded
              ? st.matchesPolicy ? { state: "loaded", detail: "nodeward's nftables table is loaded and matches the policy" } : { state: "stale", detail: "nodeward's nftables table is loaded but differs from the policy" }
              : { state: "missing", detail: "nodeward's nftables table is not loaded" },
            ssh: st.ssh === "unknown" ? null : { state: st.ssh, detail: SSH_DETAIL[st.ssh] },
            rpc: st.confError !== undefined ? null : rpcFact(daemonConf, st.confFindings, null),
          };
        },
      },
    };
  }
  if (conf === undefined) return { state: "not-given" };
  return {
    state: "given",
    probe: {
      source: conf,
      async inspect(): Promise<HostFacts> {
        const text = await readFile(conf, "utf8");
        return { ruleset: null, ssh: null, rpc: rpcFact(conf, auditDaemonConf(text, auditOptions(e.config)), text) };
      },
    },
  };
}

const SSH_DETAIL = { off: "sshd is not running: log in through the provider's console", "admin-only": "sshd accepts only the admin sources (nodeward's drop-in)", open: "sshd runs and accepts anyone who reaches it" } as const;
const RPC_FINDINGS = new Set(["rpc-all-interfaces", "rpc-bind-not-loopback", "rpc-port-open"]);

function rpcFact(path: string, findings: readonly Finding[], text: string | null): HostFacts["rpc"] {
  const bad = findings.filter((f) => RPC_FINDINGS.has(f.id));
  if (bad.length > 0) return { state: "all-interfaces", detail: `${path}: ${bad.map((f) => f.message).join("; ")}` };
  const binds = text === null ? [] : parseDaemonConf(text).filter((x) => x.key === "rpcbind").map((x) => x.value);
  return { state: "localhost", detail: `${path}: ${binds.length > 0 ? `rpcbind=${binds.join(", ")}` : "RPC not reachable from other machines (no rpcallowip without rpcbind)"}` };
}

function walletProbe(path: string, e: InputEnv, home: (p: string) => string): WalletProbe {
  const cfg = e.config.wallet;
  return {
    path,
    async inspect(): Promise<WalletFacts> {
      const report = await checkWallet(path);
      const w = report.wallet;
      const plainCopies = (report.backups?.copies ?? []).filter((c) => c.state === "unencrypted" || c.state === "mixed");
      const encrypted = w.state === "encrypted" || w.state === "no-keys";
      const encryptionDetail = !encrypted
        ? `the wallet is ${w.state}`
        : plainCopies.length > 0
          ? `the wallet is encrypted, but ${plainCopies.length} plaintext cop${plainCopies.length === 1 ? "y lies" : "ies lie"} beside it (${plainCopies.map((c) => c.path).slice(0, 3).join(", ")})`
          : w.state === "no-keys" ? "no private key in it (watch-only)" : `the private keys are encrypted (${w.format})`;
      const dir = cfg.backupDir === undefined ? defaultBackupDir(e.env) : home(cfg.backupDir);
      const latest = await latestBackup(dir, walletName(path));
      return {
        path,
        encrypted: encrypted && plainCopies.length === 0,
        encryptionDetail,
        mode: parseInt(w.permissions.mode, 8),
        backup: latest === null
          ? { newestAt: null, maxAgeDays: cfg.maxBackupAgeDays, verified: null, detail: `none in ${dir}` }
          : { newestAt: latest.createdAt.getTime(), maxAgeDays: cfg.maxBackupAgeDays, ...(await verifyLatest(latest.file, e, home)) },
      };
    },
  };
}

/** Verifies the newest backup when a key is at hand without asking (identity file, passphrase env or file). */
async function verifyLatest(file: string, e: InputEnv, home: (p: string) => string): Promise<{ verified: boolean | null; detail: string }> {
  const cfg = e.config.wallet;
  let unlock: Unlock | undefined;
  if (cfg.identityFile !== undefined) {
    const { identities } = await readIdentityFile(home(cfg.identityFile));
    for (const id of identities) e.redactor.add(id);
    unlock = { kind: "identities", identities };
  } else if (cfg.passphraseEnv !== undefined && e.env[cfg.passphraseEnv] !== undefined) {
    unlock = { kind: "passphrase", passphrase: passphraseFromEnv(e.env, cfg.passphraseEnv) };
  } else if (cfg.passphraseFile !== undefined) {
    unlock = { kind: "passphrase", passphrase: (await readPassphraseFile(home(cfg.passphraseFile))).passphrase };
  }
  if (unlock === undefined) return { verified: null, detail: `${file}: no wallet.identityFile, passphraseEnv or passphraseFile to open it with` };
  if (unlock.kind === "passphrase") e.redactor.add(unlock.passphrase);
  try {
    const r = await verifyBackup(file, unlock);
    return { verified: true, detail: `${file} decrypts (${r.size} bytes${r.matches === true ? ", matches its SHA-256 sidecar" : ""})` };
  } catch (err) {
    return { verified: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

