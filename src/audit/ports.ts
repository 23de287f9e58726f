/**
 * The narrow interfaces the audit reads the host, the wallet and the dashboard through. The
 * capabilities that own those facts (host/, wallet/, auth/) are adapted to these in the
 * composition root (cli/commands/audit.ts); the checks never import them. Every method takes an
 * AbortSignal and returns values; an expected "could not read" is a value (null / state), not a throw.
 */

/** One fact about the host: what was seen, or null when it could not be read (not on the node, not root). */
export interface HostFact<S extends string> {
  state: S;
  /** Plain words: the rule, the sshd setting, the conf line that decided it. */
  detail: string;
}

export interface HostFacts {
  /** The node's own packet filter (nodeward's nftables table). */
  ruleset: HostFact<"loaded" | "stale" | "missing"> | null;
  /** sshd: stopped/disabled, only from admin sources, or open to anyone. */
  ssh: HostFact<"off" | "admin-only" | "open"> | null;
  /** The coin daemon's RPC: only on loopback, on every interface, or RPC off. */
  rpc: HostFact<"localhost" | "all-interfaces" | "off"> | null;
}

export interface HostProbe {
  /** Where the facts come from: "this machine" or the smartcash.conf path given. */
  readonly source: string;
  inspect(signal?: AbortSignal): Promise<HostFacts>;
}

export interface WalletFacts {
  path: string;
  /** false also when a plaintext copy lies beside it; null: the file could not be read. */
  encrypted: boolean | null;
  /** What decided `encrypted`, in plain words. */
  encryptionDetail: string;
  /** File mode bits (0o600); null when unknown. */
  mode: number | null;
  backup: {
    /** ms since the epoch of the newest backup; null when none was found. */
    newestAt: number | null;
    /** The wallet capability's configured maximum age of the newest backup. */
    maxAgeDays: number;
    /** The newest backup decrypts and holds a wallet; null when not verified. */
    verified: boolean | null;
    detail: string;
  };
}

export interface WalletProbe {
  readonly path: string;
  inspect(signal?: AbortSignal): Promise<WalletFacts>;
}

export interface DashboardUser {
  name: string;
  totpEnrolled: boolean;
  backupCodesRemaining: number;
}

export interface DashboardUsers {
  /** Where the users come from (the database path). */
  readonly source: string;
  list(signal?: AbortSignal): Promise<readonly DashboardUser[]>;
}

/**
 * An input the operator may give: not given (the checks say "not given"), given but this build
 * cannot read it yet, or given with a probe.
 */
export type Provided<T> =
  | { state: "not-given" }
  | { state: "unsupported"; input: string; why: string }
  | { state: "given"; probe: T };
