/** Calls seen by the simulator, by kind ("GET /firewalls/{id}/rules") and by answer. */
export interface SimStats {
  byKind: Record<string, number>;
  /** "200", "429", … and "dropped" for connections destroyed without an answer. */
  byStatus: Record<string, number>;
  total: number;
  /** Requests with a write method (POST/PUT/PATCH/DELETE), whatever their outcome. */
  writes: number;
}

export class StatsRecorder {
  #stats: SimStats = emptyStats();

  request(kind: string, write: boolean): void {
    const s = this.#stats;
    s.byKind[kind] = (s.byKind[kind] ?? 0) + 1;
    s.total += 1;
    if (write) s.writes += 1;
  }

  outcome(status: number | "dropped"): void {
    const key = String(status);
    this.#stats.byStatus[key] = (this.#stats.byStatus[key] ?? 0) + 1;
  }

  snapshot(): SimStats {
    const s = this.#stats;
    return { byKind: { ...s.byKind }, byStatus: { ...s.byStatus }, total: s.total, writes: s.writes };
  }

  reset(): void {
    this.#stats = emptyStats();
  }
}

function emptyStats(): SimStats {
  return { byKind: {}, byStatus: {}, total: 0, writes: 0 };
}
