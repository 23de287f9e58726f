import type { Logger } from "../core/logger.ts";
import type { WatchTarget } from "./fleet.ts";
import type { FleetSnapshotStore } from "./ports.ts";
import type { WatcherHealth } from "./watcher-health.ts";

export interface FleetSourceDeps {
  /** The provider's instances as watch targets; throws when the API cannot be read. */
  listInstances: (signal: AbortSignal) => Promise<WatchTarget[]>;
  /** Static hosts from the config: always watched, whatever the provider says. */
  staticHosts: readonly WatchTarget[];
  snapshots: FleetSnapshotStore;
  health: Pick<WatcherHealth, "raise" | "clear">;
  now: () => number;
  log: Logger;
}

/**
 * The fleet to watch: the provider's instances plus the static hosts. Each good answer from the
 * provider is kept (in memory, and in the store when it changed), so when the API cannot be
 * reached, at start or later, the watcher goes on with the last fleet it knew and raises the
 * `inventory` fault instead of stopping; the fault clears at the next good answer.
 */
export class FleetSource {
  readonly #d: FleetSourceDeps;
  #known: { at: number; nodes: WatchTarget[]; json: string } | null = null;
  #loaded = false;

  constructor(deps: FleetSourceDeps) {
    this.#d = deps;
  }

  async read(signal: AbortSignal): Promise<WatchTarget[]> {
    const d = this.#d;
    let instances: WatchTarget[];
    try {
      instances = await d.listInstances(signal);
    } catch (e) {
      if (signal.aborted) throw e;
      const known = await this.#lastKnown();
      const reason = (e as Error).message;
      await d.health.raise(
        "inventory",
        known === null
          ? `the provider's API cannot be read (${reason}) and no fleet is stored yet: watching only ${count(d.staticHosts.length, "static host")}`
          : `the provider's API cannot be read (${reason}): watching the ${count(known.nodes.length, "instance")} it listed at ${new Date(known.at).toISOString()}`,
      );
      return [...(known?.nodes ?? []), ...d.staticHosts];
    }
    await this.#remember(instances);
    await d.health.clear("inventory", `the provider's API answered again with ${instances.length} instances`);
    return [...instances, ...d.staticHosts];
  }

  async #lastKnown(): Promise<{ at: number; nodes: WatchTarget[] } | null> {
    if (this.#known !== null || this.#loaded) return this.#known;
    this.#loaded = true;
    try {
      const stored = await this.#d.snapshots.lastFleet();
      if (stored !== null) this.#known = { ...stored, json: JSON.stringify(stored.nodes) };
    } catch (e) {
      this.#d.log.error({ error: (e as Error).message }, "the stored fleet cannot be read");
    }
    return this.#known;
  }

  /** Stores the fleet when it differs from the one stored (a write per change, not per refresh). */
  async #remember(nodes: WatchTarget[]): Promise<void> {
    const json = JSON.stringify(nodes);
    const at = this.#d.now();
    const changed = this.#known?.json !== json;
    this.#known = { at, nodes, json };
    this.#loaded = true;
    if (!changed) return;
    await this.#d.snapshots.saveFleet({ at, nodes }).catch((e: unknown) => this.#d.log.warn({ error: (e as Error).message }, "the fleet could not be stored; it is kept in memory"));
  }
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}
