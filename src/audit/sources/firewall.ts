import { readExposure } from "../../firewall/exposure.ts";
import { preparePlan, type PlanRequest } from "../../firewall/prepare.ts";
import type { FirewallProvider } from "../../firewall/provider.ts";
import type { FirewallFacts, Outcome } from "../context.ts";
import { failure } from "./failure.ts";

/**
 * The cloud firewall as the provider reports it: the plan (whose findings are the drift) and what
 * each selected instance's actual group lets through. Read-only: no write call is ever made.
 */
export async function readFirewallFacts(provider: Outcome<FirewallProvider>, request: PlanRequest, signal?: AbortSignal): Promise<Outcome<FirewallFacts>> {
  if (!provider.ok) return provider;
  try {
    const prepared = await preparePlan(provider.value, request, signal);
    const exposure = await readExposure(provider.value, prepared.selected, prepared.actual.groups, signal);
    return { ok: true, value: { prepared, exposure } };
  } catch (e) {
    return failure(e, "check provider.baseUrl, the API key and the network, then run again");
  }
}
