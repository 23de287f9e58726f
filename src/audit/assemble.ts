import type { Config } from "../config/schema.ts";
import type { Instance } from "../firewall/model.ts";
import type { PlanRequest } from "../firewall/prepare.ts";
import type { FirewallProvider } from "../firewall/provider.ts";
import type { VerifyProbes } from "../verify/run.ts";
import { viewAttestation, type AttestationRecords } from "./attest.ts";
import { once, type AuditContext, type Outcome, type OutsideFacts } from "./context.ts";
import type { DashboardUsers, HostProbe, Provided, WalletProbe } from "./ports.ts";
import { readFirewallFacts } from "./sources/firewall.ts";
import { readOutsideFacts } from "./sources/outside.ts";
import { readWatchFacts } from "./sources/watch-db.ts";

export interface AuditDeps {
  config: Config;
  now: number;
  provider: Outcome<FirewallProvider>;
  request: PlanRequest;
  probes: VerifyProbes;
  /** The watch daemon's database file. */
  watchDatabase: string;
  attestations: AttestationRecords;
  host?: Provided<HostProbe>;
  wallet?: Provided<WalletProbe>;
  dashboard?: Provided<DashboardUsers>;
  /** Why the outside-in checks cannot run here at all (the demo without network namespaces). */
  skipOutside?: { reason: string; fix: string };
  signal?: AbortSignal;
}

/** Wires the sources into the context the checks read; each source is read at most once. */
export function assembleContext(d: AuditDeps): AuditContext {
  const firewall = once(() => readFirewallFacts(d.provider, d.request, d.signal));
  const instances = async (): Promise<Outcome<readonly Instance[]>> => {
    const f = await firewall();
    return f.ok ? { ok: true, value: f.value.prepared.selected } : f;
  };
  const skip = d.skipOutside;
  const outside = once(async (): Promise<Outcome<OutsideFacts>> => skip !== undefined
    ? { ok: false, ...skip }
    : readOutsideFacts({ config: d.config, instances: await instances(), probes: d.probes, signal: d.signal }));
  const watch = once(async () => readWatchFacts({ config: d.config, path: d.watchDatabase, instances: await instances() }));
  return {
    config: d.config,
    now: d.now,
    firewall,
    outside,
    watch,
    attestation: (id) => viewAttestation(d.attestations[id], d.now, d.config.audit.attestationMaxAgeDays),
    host: memoHost(d.host ?? { state: "not-given" }),
    wallet: memoWallet(d.wallet ?? { state: "not-given" }),
    dashboard: d.dashboard ?? { state: "not-given" },
    ...(d.signal === undefined ? {} : { signal: d.signal }),
  };
}

/** Three host checks read one HostFacts: inspect once. */
function memoHost(p: Provided<HostProbe>): Provided<HostProbe> {
  if (p.state !== "given") return p;
  const probe = p.probe;
  const inspect = once(() => probe.inspect());
  return { state: "given", probe: { source: probe.source, inspect } };
}

function memoWallet(p: Provided<WalletProbe>): Provided<WalletProbe> {
  if (p.state !== "given") return p;
  const probe = p.probe;
  const inspect = once(() => probe.inspect());
  return { state: "given", probe: { path: probe.path, inspect } };
}
