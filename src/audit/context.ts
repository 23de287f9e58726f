import type { Config } from "../config/schema.ts";
import type { Exposure } from "../firewall/exposure.ts";
import type { NetviewRecord } from "../netview/ports.ts";
import type { Prepared } from "../firewall/prepare.ts";
import type { NodeReport } from "../verify/run.ts";
import type { NodeWatchState } from "../watch/model.ts";
import type { AttestationId, AttestationView } from "./attest.ts";
import type { DashboardUsers, HostProbe, Provided, WalletProbe } from "./ports.ts";

/** A source of facts that may be unavailable: the checks that need it then say "cannot check" and why. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string; fix: string; code?: string };

export interface FirewallFacts {
  prepared: Prepared;
  /** What the cloud firewall lets through to each selected instance (its actual group's rules). */
  exposure: readonly Exposure[];
}

export interface OutsideFacts {
  reports: readonly NodeReport[];
  /** Why the provider's instances are missing from `reports` (static hosts were still checked); null when none are. */
  instancesUnknown: { reason: string; fix: string } | null;
}

export interface WatchFacts {
  path: string;
  states: readonly NodeWatchState[];
  /** Names for node ids (instance labels, static host names). */
  names: ReadonlyMap<string, string>;
  /** Node ids the config selects now; empty when the provider could not be read. */
  expected: readonly string[];
  /** The addresses of each node the config selects (instances' main IPs, static hosts'); empty when the provider could not be read. */
  addresses: ReadonlyMap<string, readonly string[]>;
  /** The watcher's latest network view of each node with a collateral (stores.netview), or why it cannot be read. */
  netview: Outcome<readonly NetviewRecord[]>;
}

/**
 * Everything a check may read. Sources are read once, lazily, and shared by the checks of a step
 * (memoised by the composition root), so a run costs one provider read and one scan per node.
 */
export interface AuditContext {
  readonly config: Config;
  /** ms since the epoch, fixed for the whole run. */
  readonly now: number;
  firewall(): Promise<Outcome<FirewallFacts>>;
  outside(): Promise<Outcome<OutsideFacts>>;
  watch(): Promise<Outcome<WatchFacts>>;
  attestation(id: AttestationId): AttestationView;
  readonly host: Provided<HostProbe>;
  readonly wallet: Provided<WalletProbe>;
  readonly dashboard: Provided<DashboardUsers>;
  readonly signal?: AbortSignal;
}

/** Memoises an async source: the first call reads, later calls share the answer. */
export function once<T>(read: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= read());
}
