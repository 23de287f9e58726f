import { systemClock } from "../../src/core/clock.ts";
import { Redactor } from "../../src/core/redact.ts";
import type { Instance } from "../../src/firewall/model.ts";
import { hasIpv6 } from "../../src/firewall/model.ts";
import type { PlanRequest } from "../../src/firewall/prepare.ts";
import type { PolicyInput } from "../../src/firewall/policy.ts";
import { ruleKey, canonicalRule } from "../../src/firewall/rule.ts";
import { createVultrProvider } from "../../src/providers/vultr/adapter.ts";
import type { Sim } from "../../src/sim/server.ts";

export const SMARTCASH_POLICY: PolicyInput = {
  description: "SmartNodes Only",
  ports: [
    { protocol: "tcp", port: 9678, purpose: "SmartCash P2P" },
    { protocol: "tcp", port: 8080, purpose: "SmartCash SAPI" },
  ],
  adminAccess: [],
  icmp: false,
};

/** A request selecting instances tagged "smartnode" (the seeded fleets' default tag). */
export function smartnodeRequest(policy: PolicyInput = SMARTCASH_POLICY, tag = "smartnode"): PlanRequest {
  return {
    policy,
    select: (xs: readonly Instance[]) => xs.filter((i) => i.tags.includes(tag)),
    selectorText: `tags ${tag}`,
  };
}

export function providerFor(sim: Sim, over: { maxRequestsPerSecond?: number; timeoutMs?: number } = {}) {
  return createVultrProvider({
    baseUrl: sim.url,
    apiKey: sim.apiKey,
    maxRequestsPerSecond: over.maxRequestsPerSecond ?? 29,
    timeoutMs: over.timeoutMs ?? 5_000,
    clock: systemClock,
    redactor: new Redactor(),
  });
}

/**
 * Safety invariant 1 over a whole run, from the simulator's record of every firewall state each
 * instance passed through: whenever a node sat on the policy group, that group accepted every
 * required port for every IP family the node has; and once on it, it never left it.
 */
export function invariant1Violations(sim: Sim, groupDescription: string, policy: PolicyInput, nodes: readonly Instance[]): string[] {
  const group = sim.state.groups().find((g) => g.description === groupDescription);
  if (group === undefined) return [];
  const required = (v6: boolean) =>
    (v6 ? (["v4", "v6"] as const) : (["v4"] as const)).flatMap((ipType) =>
      policy.ports.map((p) => {
        const c = canonicalRule({ ipType, protocol: p.protocol, port: p.port, subnet: ipType === "v4" ? "0.0.0.0" : "::", subnetSize: 0 });
        if (!c.ok) throw new Error(c.reason);
        return ruleKey(c.rule);
      }),
    );
  const out: string[] = [];
  for (const node of nodes) {
    const need = required(hasIpv6(node));
    let joined = false;
    for (const rec of sim.history(node.id)) {
      if (rec.groupId === group.id) {
        joined = true;
        const have = new Set(rec.rules.map(ruleKey));
        const lacking = need.filter((k) => !have.has(k));
        if (lacking.length > 0) out.push(`${node.label} at ${rec.at}: on the policy group lacking ${lacking.join(", ")}`);
      } else if (joined) {
        out.push(`${node.label} at ${rec.at}: left the policy group for "${rec.groupId}"`);
      }
    }
  }
  return out;
}
