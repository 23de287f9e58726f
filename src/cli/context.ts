import { systemClock, type Clock } from "../core/clock.ts";
import type { Config } from "../config/schema.ts";
import { loadConfig, resolveConfigPath } from "../config/load.ts";
import { readApiKey } from "../config/secrets.ts";
import { resolvePorts } from "../config/ports.ts";
import { formatIssueList } from "../config/format.ts";
import { portText } from "../coins/index.ts";
import { describeSelector, selectInstances } from "../inventory/select.ts";
import type { VultrProvider } from "../providers/vultr/adapter.ts";
import type { PlanRequest } from "../firewall/prepare.ts";
import { createVultrProvider } from "../providers/vultr/adapter.ts";
import type { GlobalOptions, Io } from "./io.ts";

/** Loads and validates the config named by --config / NODEWARD_CONFIG / ./nodeward.yaml; prints its warnings. */
export async function loadConfigFor(io: Io, opts: GlobalOptions): Promise<{ config: Config; file: string }> {
  const { config, warnings, file } = await loadConfig(resolveConfigPath(opts.config, io.env));
  if (!io.quiet && warnings.length > 0) io.err(`${io.errStyle.yellow("warning:")}\n${formatIssueList(warnings, file)}`);
  return { config, file };
}

/** The provider client for the configured account; the API key comes only from env or key file. */
export async function openFirewallProvider(config: Config, io: Io, clock: Clock = systemClock): Promise<VultrProvider> {
  const { key, warnings } = await readApiKey(config, io.env, io.redactor);
  if (!io.quiet) for (const w of warnings) io.err(`${io.errStyle.yellow("warning:")} ${w}`);
  return createVultrProvider({
    baseUrl: config.provider.baseUrl,
    apiKey: key,
    maxRequestsPerSecond: config.provider.maxRequestsPerSecond,
    timeoutMs: config.provider.timeoutSeconds * 1000,
    clock,
    redactor: io.redactor,
    onRequest: io.verbose
      ? (r) => io.err(io.errStyle.dim(`api ${r.method} ${r.path} → ${r.status ?? r.error ?? "no answer"} in ${Math.round(r.durationMs)} ms${r.attempt > 1 ? ` (attempt ${r.attempt})` : ""}${r.outcome === "retry" ? ", retrying" : ""}`))
      : undefined,
  });
}

/** Config → the firewall capability's request (the one bridge between the two). */
export function planRequestFromConfig(config: Config): PlanRequest {
  return {
    policy: {
      description: config.firewall.description,
      ports: resolvePorts(config).map((p) => ({ protocol: p.protocol, port: portText(p), purpose: p.purpose })),
      adminAccess: config.firewall.adminAccess.map((a) => ({ cidr: a.cidr, port: portText(a), protocol: a.protocol, note: a.note })),
      icmp: config.firewall.icmp,
    },
    groupId: config.firewall.groupId,
    select: (instances) => selectInstances([...instances], config.nodes).selected,
    selectorText: describeSelector(config.nodes),
  };
}
