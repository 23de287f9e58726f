import type { Finding, Plan } from "../firewall/plan.ts";
import { describeRule } from "../firewall/rule.ts";

/**
 * The watcher's view of the cloud firewall per node, from the same plan `nodeward firewall drift`
 * makes: each selected instance is compliant, or has the drift that concerns it (its group's
 * missing or world-open rules, IPv6 left uncovered, not attached). Pure; the daemon re-plans at
 * every inventory refresh and the dashboard shows the verdicts.
 */

export interface Compliance {
  compliant: boolean;
  /** "" when compliant; else the findings, shortest first, joined by "; ". */
  detail: string;
  checkedAt: number;
}

/** Instance id → verdict, for every instance the plan selected. */
export function complianceByInstance(plan: Plan, selectedIds: readonly string[], at: number): Map<string, Compliance> {
  const shared: string[] = [];
  const own = new Map<string, string[]>(selectedIds.map((id) => [id, []]));
  // Without the group, "not attached to it" says nothing more.
  const noGroup = plan.findings.some((f) => f.kind === "group-missing");
  for (const f of plan.findings) {
    if (noGroup && f.kind === "instance-unattached") continue;
    const instance = instanceOf(f);
    if (instance === null) {
      const text = describe(f);
      if (text !== null) shared.push(text);
    } else {
      own.get(instance)?.push(describe(f) ?? f.kind);
    }
  }
  const out = new Map<string, Compliance>();
  for (const [id, mine] of own) {
    const all = [...mine, ...shared];
    out.set(id, { compliant: all.length === 0, detail: all.join("; "), checkedAt: at });
  }
  return out;
}

function instanceOf(f: Finding): string | null {
  return f.kind === "ipv6-uncovered" || f.kind === "instance-unattached" || f.kind === "instance-other-group" ? f.instanceId : null;
}

/** One line per finding; null for what does not make a node less safe (a duplicate, an extra rule open only to a CIDR). */
function describe(f: Finding): string | null {
  switch (f.kind) {
    case "group-missing":
      return `no firewall group "${f.description}"`;
    case "rule-missing":
      return `group lacks ${describeRule(f.rule)}`;
    case "rule-extra":
      return f.toWorld ? `group opens ${describeRule(f.rule)} to the world` : null;
    case "rule-duplicate":
      return null;
    case "ipv6-uncovered":
      return `IPv6 not covered (${f.missing.map(describeRule).join(", ")})`;
    case "instance-unattached":
      return "not attached to the group";
    case "instance-other-group":
      return `attached to another group ("${f.description}")`;
  }
}

export interface ComplianceDeps {
  /** Reads the provider and plans, as `firewall drift` does. */
  plan: (signal: AbortSignal) => Promise<{ plan: Plan; selectedIds: readonly string[] }>;
  now: () => number;
  log: { warn(obj: object, msg: string): void };
}

/** The last verdicts, refreshed by `check`; a failed check keeps the previous ones (with their time). */
export class FirewallCompliance {
  readonly #d: ComplianceDeps;
  #verdicts = new Map<string, Compliance>();

  constructor(deps: ComplianceDeps) {
    this.#d = deps;
  }

  async check(signal: AbortSignal): Promise<void> {
    try {
      const { plan, selectedIds } = await this.#d.plan(signal);
      this.#verdicts = complianceByInstance(plan, selectedIds, this.#d.now());
    } catch (e) {
      if (!signal.aborted) this.#d.log.warn({ error: (e as Error).message }, "firewall check failed; the dashboard keeps the previous verdicts");
    }
  }

  /** By the watched node's instance id; null for static hosts and before the first check. */
  get(instanceId: string): Compliance | null {
    return this.#verdicts.get(instanceId) ?? null;
  }
}
