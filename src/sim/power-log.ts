import type { PowerAction, PowerEvent } from "./model.ts";

export type PowerListener = (instanceId: string, action: PowerAction) => void;

/** Every power action the simulator accepted, per instance, and who wants to hear of new ones. */
export class PowerLog {
  readonly #byInstance = new Map<string, PowerEvent[]>();
  readonly #listeners = new Set<PowerListener>();

  record(instanceId: string, at: number, action: PowerAction): void {
    const log = this.#byInstance.get(instanceId);
    if (log) log.push({ at, action });
    else this.#byInstance.set(instanceId, [{ at, action }]);
    for (const l of this.#listeners) l(instanceId, action);
  }

  of(instanceId: string): PowerEvent[] {
    return [...(this.#byInstance.get(instanceId) ?? [])];
  }

  listen(listener: PowerListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
