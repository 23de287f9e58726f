import type { IncidentStore, NodeStateStore, ProbeStore } from "./ports.ts";
import type { NodeWatchState, ProbeRecord } from "./model.ts";

/**
 * The daemon's writes when its storage fails (disk full, I/O errors, a locked file): the stores are
 * wrapped so that a write the storage refuses is held in memory, in order, and written when the
 * storage takes writes again. The watcher keeps probing and deciding from memory meanwhile.
 *
 * What is held, and its bound:
 * - incident changes (open, append, close): in order, at most `maxIncidentChanges`; past that the
 *   daemon cannot keep its record straight and must stop (`overflowed`);
 * - node states: the newest per node (the fleet bounds it);
 * - probe results: at most `maxProbes`, the oldest dropped first (history, not decisions).
 * A write that fails for another reason (a bug, a constraint) is thrown as before.
 */

export interface WriteBehindOptions {
  isStorageFault(e: unknown): boolean;
  maxProbes?: number;
  maxIncidentChanges?: number;
  /** Told about every storage failure (the first one raises the fault; repeats keep its detail fresh). */
  onFault(error: unknown): void;
  /** Told when everything held was written. */
  onRecovered(summary: { probesWritten: number; probesDropped: number }): void;
  /** Told about a held write that can never succeed (dropped). */
  onDropped(what: string, error: unknown): void;
}

export interface HeldWrites {
  probes: number;
  probesDropped: number;
  states: number;
  incidentChanges: number;
}

type Stores = { probes: ProbeStore; nodeStates: NodeStateStore; incidents: IncidentStore };

export class WriteBehind {
  readonly probes: ProbeStore;
  readonly nodeStates: NodeStateStore;
  readonly incidents: IncidentStore;
  readonly #inner: Stores;
  readonly #o: Required<Omit<WriteBehindOptions, "onFault" | "onRecovered" | "onDropped">> & WriteBehindOptions;
  /** Held batches, each with the vantage it was probed from. */
  readonly #probes: { batch: ProbeRecord[]; vantage: string | undefined }[] = [];
  #probeCount = 0;
  #probesDropped = 0;
  #probesWrittenSinceFault = 0;
  /** null: the node left the fleet (its row is removed). */
  readonly #states = new Map<string, NodeWatchState | null>();
  readonly #incidents: { what: string; run: () => Promise<void> }[] = [];
  #flushing: Promise<boolean> | null = null;

  constructor(inner: Stores, options: WriteBehindOptions) {
    this.#inner = inner;
    this.#o = { maxProbes: 100_000, maxIncidentChanges: 10_000, ...options };
    const i = inner;
    this.probes = {
      appendProbes: (batch, vantage) => this.#write(() => i.probes.appendProbes(batch, vantage), () => this.#holdProbes(batch, vantage)),
      recentProbes: (id, limit) => i.probes.recentProbes(id, limit),
      latestTimes: (id) => i.probes.latestTimes(id),
      uptime: (id, since, until) => i.probes.uptime(id, since, until),
      series: (id, since, until, bucket) => i.probes.series(id, since, until, bucket),
      compact: (rawBefore, rollupBefore) => i.probes.compact(rawBefore, rollupBefore),
    };
    this.nodeStates = {
      save: (states) => this.#write(() => i.nodeStates.save(states), () => states.forEach((s) => this.#states.set(s.nodeId, s))),
      loadAll: () => i.nodeStates.loadAll(),
      remove: (ids) => this.#write(() => i.nodeStates.remove(ids), () => ids.forEach((id) => this.#states.set(id, null))),
    };
    const change = (what: string, run: () => Promise<void>) => this.#write(run, () => this.#incidents.push({ what, run }));
    this.incidents = {
      open: (inc, first) => change(`open incident ${inc.id}`, () => i.incidents.open(inc, first)),
      append: (id, event) => change(`${event.kind} on incident ${id}`, () => i.incidents.append(id, event)),
      close: (id, endedAt, last) => change(`close incident ${id}`, () => i.incidents.close(id, endedAt, last)),
      openIncidents: () => i.incidents.openIncidents(),
      list: (filter) => i.incidents.list(filter),
      get: (id) => i.incidents.get(id),
      lastRemediation: (nodeId) => i.incidents.lastRemediation(nodeId),
      prune: (before) => i.incidents.prune(before),
    };
  }

  /** What is held in memory now. */
  held(): HeldWrites {
    return { probes: this.#probeCount, probesDropped: this.#probesDropped, states: this.#states.size, incidentChanges: this.#incidents.length };
  }

  get holding(): boolean {
    return this.#probeCount > 0 || this.#states.size > 0 || this.#incidents.length > 0;
  }

  /** More incident changes are held than the bound allows: the daemon cannot go on and must restart. */
  get overflowed(): boolean {
    return this.#incidents.length > this.#o.maxIncidentChanges;
  }

  /** Writes what is held, oldest first; true when nothing is held any more. Concurrent calls share one pass. */
  retry(): Promise<boolean> {
    this.#flushing ??= this.#flush().finally(() => (this.#flushing = null));
    return this.#flushing;
  }

  async #write(direct: () => Promise<void>, hold: () => void): Promise<void> {
    // Once something is held, later writes queue behind it: a recovery is never written before its outage.
    if (this.holding || this.#flushing !== null) {
      hold();
      return;
    }
    try {
      await direct();
    } catch (e) {
      if (!this.#o.isStorageFault(e)) throw e;
      hold();
      this.#o.onFault(e);
    }
  }

  #holdProbes(batch: readonly ProbeRecord[], vantage: string | undefined): void {
    this.#probes.push({ batch: [...batch], vantage });
    this.#probeCount += batch.length;
    while (this.#probeCount > this.#o.maxProbes && this.#probes.length > 0) {
      const dropped = this.#probes.shift()!;
      this.#probeCount -= dropped.batch.length;
      this.#probesDropped += dropped.batch.length;
    }
  }

  async #flush(): Promise<boolean> {
    if (!this.holding) return true;
    const ok = (await this.#flushIncidents()) && (await this.#flushStates()) && (await this.#flushProbes());
    if (ok) {
      this.#o.onRecovered({ probesWritten: this.#probesWrittenSinceFault, probesDropped: this.#probesDropped });
      this.#probesWrittenSinceFault = 0;
      this.#probesDropped = 0;
    }
    return ok;
  }

  /** Runs one held write: true when done (written, or dropped because it can never succeed), false when the storage still fails. */
  async #attempt(what: string, run: () => Promise<void>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (e) {
      if (this.#o.isStorageFault(e)) {
        this.#o.onFault(e);
        return false;
      }
      this.#o.onDropped(what, e);
      return true;
    }
  }

  async #flushIncidents(): Promise<boolean> {
    while (this.#incidents.length > 0) {
      const next = this.#incidents[0]!;
      if (!(await this.#attempt(next.what, next.run))) return false;
      this.#incidents.shift();
    }
    return true;
  }

  async #flushStates(): Promise<boolean> {
    if (this.#states.size === 0) return true;
    const held = [...this.#states];
    const removed = held.filter(([, s]) => s === null).map(([id]) => id);
    const saved = held.map(([, s]) => s).filter((s): s is NodeWatchState => s !== null);
    const ok =
      (removed.length === 0 || (await this.#attempt(`remove ${removed.length} node states`, () => this.#inner.nodeStates.remove(removed)))) &&
      (saved.length === 0 || (await this.#attempt(`save ${saved.length} node states`, () => this.#inner.nodeStates.save(saved))));
    if (!ok) return false;
    // Only what was written leaves the map: a state held while the pass ran stays for the next one.
    for (const [id, s] of held) if (this.#states.get(id) === s) this.#states.delete(id);
    return true;
  }

  async #flushProbes(): Promise<boolean> {
    while (this.#probes.length > 0) {
      const held = this.#probes[0]!;
      if (!(await this.#attempt(`append ${held.batch.length} probe results`, () => this.#inner.probes.appendProbes(held.batch, held.vantage)))) return false;
      // The batch may have been dropped for room while it was written.
      if (this.#probes[0] === held) {
        this.#probes.shift();
        this.#probeCount -= held.batch.length;
      }
      this.#probesWrittenSinceFault += held.batch.length;
    }
    return true;
  }
}
