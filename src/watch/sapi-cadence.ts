/**
 * When a probe also asks the node's SAPI status. A node that is failing (or not yet seen) is asked
 * on every probe; a healthy one at least every `everyMs`. SAPI matters to the reward queue because
 * peers accept a SmartNode's ping only when they can reach it (NOTES §2.3), so a node whose SAPI
 * alone is down loses its place after the 65-minute expiry like any other: asking a healthy node
 * every 5 minutes finds that with an hour to spare, while the P2P handshake runs on every probe.
 * At 10,000 nodes the HTTP request is a third of the daemon's CPU (bench:watch).
 */
export class SapiCadence {
  readonly #everyMs: number;
  readonly #last = new Map<string, number>();

  constructor(everyMs: number) {
    this.#everyMs = everyMs;
  }

  /** Whether this probe asks SAPI; remembers that it did. */
  due(nodeId: string, now: number, failing: boolean): boolean {
    const last = this.#last.get(nodeId);
    if (!failing && last !== undefined && now - last < this.#everyMs && now >= last) return false;
    this.#last.set(nodeId, now);
    return true;
  }

  /** Forgets nodes that left the fleet. */
  retain(nodeIds: ReadonlySet<string>): void {
    for (const id of this.#last.keys()) if (!nodeIds.has(id)) this.#last.delete(id);
  }
}
