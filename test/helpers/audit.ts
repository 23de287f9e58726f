import { parseConfigText } from "../../src/config/load.ts";
import type { Config } from "../../src/config/schema.ts";
import type { AttestationRecords } from "../../src/audit/attest.ts";
import { assembleContext } from "../../src/audit/assemble.ts";
import { auditChecks } from "../../src/audit/checks/index.ts";
import type { AuditContext } from "../../src/audit/context.ts";
import type { CheckOutcome } from "../../src/audit/model.ts";
import type { DashboardUsers, HostProbe, Provided, WalletProbe } from "../../src/audit/ports.ts";
import { realProbes } from "../../src/audit/sources/outside.ts";
import { planRequestFromConfig } from "../../src/cli/context.ts";
import type { Sim } from "../../src/sim/server.ts";
import type { VerifyProbes } from "../../src/verify/run.ts";
import { providerFor } from "./firewall.ts";

/** An audit context over a simulator (or no provider at all), as the CLI wires it. */
export function auditContext(opts: {
  yaml: string;
  sim?: Sim;
  /** Without `sim`: why there is no provider (default: the API key is missing). */
  noProvider?: { code: string; reason: string };
  now?: number;
  probes?: VerifyProbes;
  watchDatabase?: string;
  attestations?: AttestationRecords;
  host?: Provided<HostProbe>;
  wallet?: Provided<WalletProbe>;
  dashboard?: Provided<DashboardUsers>;
}): { ctx: AuditContext; config: Config } {
  const { config } = parseConfigText(opts.yaml, "nodeward.yaml");
  const ctx = assembleContext({
    config,
    now: opts.now ?? Date.now(),
    provider: opts.sim ? { ok: true, value: providerFor(opts.sim, { maxRequestsPerSecond: 500 }) } : { ok: false, reason: opts.noProvider?.reason ?? "VULTR_API_KEY is not set", fix: "export VULTR_API_KEY", code: opts.noProvider?.code ?? "SECRET_MISSING" },
    request: planRequestFromConfig(config),
    probes: opts.probes ?? realProbes(config),
    watchDatabase: opts.watchDatabase ?? "/nonexistent/nodeward.db",
    attestations: opts.attestations ?? {},
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.wallet ? { wallet: opts.wallet } : {}),
    ...(opts.dashboard ? { dashboard: opts.dashboard } : {}),
  });
  return { ctx, config };
}

/** Runs one registered check by id. */
export async function check(id: string, ctx: AuditContext): Promise<readonly CheckOutcome[]> {
  const c = auditChecks.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no check ${id}`);
  return c.run(ctx);
}

export const statuses = (xs: readonly CheckOutcome[]) => xs.map((x) => x.status);
export const byNode = (xs: readonly CheckOutcome[]) => Object.fromEntries(xs.map((x) => [x.node ?? "", x.status]));
