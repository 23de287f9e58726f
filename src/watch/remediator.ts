import type { AlertEvent } from "../alerts/event.ts";
import type { MonotonicClock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import type { Instance, RemoteRule, Rule } from "../firewall/model.ts";
import { ruleKey } from "../firewall/rule.ts";
import type { WatchEngine } from "./engine.ts";
import type { IncidentStore } from "./ports.ts";
import { decideRemediation, type RemediationPolicy } from "./remediation.ts";
import { rewardClock, type ExpiryRule } from "./reward-clock.ts";

/** What remediation needs from the provider: read an instance and its group's rules, reboot, start. */
export interface PowerPort {
  getInstance(id: string, signal?: AbortSignal): Promise<Instance>;
  listRules(groupId: string, signal?: AbortSignal): Promise<RemoteRule[]>;
  rebootInstance(id: string, signal?: AbortSignal): Promise<void>;
  startInstance(id: string, signal?: AbortSignal): Promise<void>;
}

export interface RemediatorDeps {
  policy: RemediationPolicy;
  provider: PowerPort;
  engine: WatchEngine;
  incidents: IncidentStore;
  alerts: { enqueue(events: readonly AlertEvent[]): Promise<number> };
  /** The coin's IPv4 accept rules: a node whose group lacks one is blocked by its firewall. */
  requiredRules: readonly Rule[];
  expiry: ExpiryRule;
  clock: MonotonicClock;
  log: Logger;
}

/**
 * Acts on down nodes (decideRemediation says when): reboots or starts the instance through the
 * provider, records the action on the incident, alerts it. Runs every half minute or so.
 */
export class Remediator {
  readonly #d: RemediatorDeps;
  readonly #firewallReported = new Set<string>();
  /**
   * This process's own actions per node: the window holds even while the store cannot record them
   * (a full disk holds the incident event back), and is timed on the monotonic clock.
   */
  readonly #acted = new Map<string, { at: number; mono: number }>();

  constructor(deps: RemediatorDeps) {
    this.#d = deps;
  }

  async check(signal?: AbortSignal): Promise<void> {
    const d = this.#d;
    const rulesByGroup = new Map<string, Set<string>>();
    for (const node of d.engine.nodes()) {
      const state = d.engine.state(node.nodeId);
      const inc = state?.incident;
      if (state === undefined || inc == null || state.health !== "down" || node.instanceId === undefined) continue;
      const now = d.clock.now();
      const instance = await d.provider.getInstance(node.instanceId, signal).catch((e: unknown) => {
        d.log.warn({ node: node.name, error: (e as Error).message }, "remediation could not read the instance");
        return null;
      });
      let blocks = false;
      if (instance !== null && instance.firewallGroupId !== "") {
        let keys = rulesByGroup.get(instance.firewallGroupId);
        if (keys === undefined) {
          keys = new Set((await d.provider.listRules(instance.firewallGroupId, signal).catch(() => [])).map(ruleKey));
          rulesByGroup.set(instance.firewallGroupId, keys);
        }
        blocks = keys.size > 0 && d.requiredRules.some((r) => !keys.has(ruleKey(r)));
      }
      const decision = decideRemediation(d.policy, {
        now,
        downSince: inc.startedAt,
        handshakeAnswers: d.engine.latest(node.nodeId)?.protocolVersion != null,
        lastActionAt: this.#lastAction(node.nodeId, await d.incidents.lastRemediation(node.nodeId)),
        instance,
        firewallBlocksCoinPort: blocks,
      });
      const ref = { id: node.nodeId, name: node.name, address: node.address };
      const clock = rewardClock(state.lastGoodAt, d.expiry);
      if (decision.kind === "alert-firewall") {
        if (this.#firewallReported.has(inc.id)) continue;
        this.#firewallReported.add(inc.id);
        const detail = "its firewall group does not accept the coin's ports: a reboot would not help";
        await d.incidents.append(inc.id, { at: now, kind: "remediation-skipped", detail });
        await d.alerts.enqueue([{ kind: "firewall-blocks", at: now, node: ref, incidentId: inc.id, detail, clock }]);
        continue;
      }
      if (decision.kind === "wait") continue;
      const action = decision.kind;
      this.#acted.set(node.nodeId, { at: now, mono: d.clock.monotonic() });
      try {
        await (action === "reboot" ? d.provider.rebootInstance(node.instanceId, signal) : d.provider.startInstance(node.instanceId, signal));
        await d.incidents.append(inc.id, { at: now, kind: "remediation", detail: `${action} requested from the provider` });
        d.log.warn({ node: node.name, action }, "remediation: asked the provider to act");
        await d.alerts.enqueue([{ kind: "remediation", at: now, node: ref, incidentId: inc.id, action, outcome: "requested", detail: `${action} requested`, clock }]);
      } catch (e) {
        const detail = `${action} failed: ${(e as Error).message}`;
        await d.incidents.append(inc.id, { at: now, kind: "remediation", detail });
        d.log.error({ node: node.name, action, error: (e as Error).message }, "remediation failed");
        await d.alerts.enqueue([{ kind: "remediation", at: now, node: ref, incidentId: inc.id, action, outcome: "failed", detail, clock }]);
      }
    }
  }

  /** No action in the last window: nothing the remediation window times is running. */
  quiet(): boolean {
    const window = this.#d.policy.windowMinutes * 60_000;
    const mono = this.#d.clock.monotonic();
    for (const a of this.#acted.values()) if (mono - a.mono < window) return false;
    return true;
  }

  /**
   * The stored last action, or this process's own when later. An own action is carried into the
   * wall-clock frame from its monotonic time, so a step of the system clock cannot shorten the window.
   */
  #lastAction(nodeId: string, stored: number | null): number | null {
    const own = this.#acted.get(nodeId);
    if (own === undefined) return stored;
    const ownAt = this.#d.clock.now() - (this.#d.clock.monotonic() - own.mono);
    return stored === null ? ownAt : Math.max(stored, ownAt);
  }
}
