import type { Rule } from "../firewall/model.ts";
import type { FirewallStateRecord } from "./model.ts";

/**
 * Every firewall state each instance passed through, in order. Records share their frozen rule
 * snapshot, so a rule change on a group with 10,000 members costs one array, not 10,000.
 */
export type FirewallListener = (instanceId: string, state: FirewallStateRecord) => void;

export class FirewallHistory {
  readonly #byInstance = new Map<string, FirewallStateRecord[]>();
  readonly #listeners = new Set<FirewallListener>();

  record(instanceId: string, at: number, groupId: string, rules: readonly Rule[]): void {
    const entry: FirewallStateRecord = Object.freeze({ at, groupId, rules });
    const list = this.#byInstance.get(instanceId);
    if (list) list.push(entry);
    else this.#byInstance.set(instanceId, [entry]);
    for (const l of this.#listeners) l(instanceId, entry);
  }

  /** Called on every new state (the simulated world re-applies its packet filter); returns an unsubscribe. */
  listen(listener: FirewallListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A copy of the instance's records, oldest first; [] for an unknown instance. */
  of(instanceId: string): FirewallStateRecord[] {
    return [...(this.#byInstance.get(instanceId) ?? [])];
  }
}

export const NO_RULES: readonly Rule[] = Object.freeze([]);
