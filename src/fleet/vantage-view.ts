import type { LatestProbeStore, VantageProbe, VantageRecord, VantageStore } from "./ports.ts";

const PAGE = 5_000;

/**
 * What the other watchers of the fleet see, as this watcher last read it: each node's newest
 * result from every other vantage, and every vantage's heartbeat. Read from the change feed
 * (LatestProbeStore.latestSince), so a refresh costs what changed since the last one, not the
 * whole fleet. The leader combines it with its own probes (fleet/quorum.ts).
 */
export class VantageView {
  readonly #byNode = new Map<string, Map<string, VantageProbe>>();
  readonly #d: { latest: LatestProbeStore; vantages: VantageStore; self: string };
  #cursor = 0;
  #vantages: VantageRecord[] = [];

  constructor(deps: { latest: LatestProbeStore; vantages: VantageStore; self: string }) {
    this.#d = deps;
  }

  /** Reads what changed since the last refresh (in pages), and the heartbeats. Rejects when the store does. */
  async refresh(): Promise<void> {
    for (;;) {
      const page = await this.#d.latest.latestSince(this.#cursor, PAGE);
      for (const r of page.rows) {
        if (r.vantage === this.#d.self) continue;
        let node = this.#byNode.get(r.nodeId);
        if (node === undefined) this.#byNode.set(r.nodeId, (node = new Map()));
        const known = node.get(r.vantage);
        if (known === undefined || known.at <= r.at) node.set(r.vantage, r);
      }
      this.#cursor = page.cursor;
      if (page.rows.length < PAGE) break;
    }
    this.#vantages = await this.#d.vantages.vantages();
  }

  /** The other vantages' newest results for the node (any age: the quorum decides what is fresh). */
  others(nodeId: string): VantageProbe[] {
    const node = this.#byNode.get(nodeId);
    return node === undefined ? [] : [...node.values()];
  }

  /** Every vantage's heartbeat as last read, this one's included. */
  vantages(): readonly VantageRecord[] {
    return this.#vantages;
  }

  /** Nodes that left the fleet. */
  retain(nodeIds: ReadonlySet<string>): void {
    for (const id of this.#byNode.keys()) if (!nodeIds.has(id)) this.#byNode.delete(id);
  }
}
