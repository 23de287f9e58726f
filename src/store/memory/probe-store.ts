import { LOCAL_VANTAGE } from "../../fleet/ports.ts";
import type { ProbeRecord } from "../../watch/model.ts";
import type { ProbeStore } from "../../watch/ports.ts";
import { checkLimit, checkRange, checkTime } from "../arguments.ts";
import { addTally, bucketCount, emptyTally, HOUR_MS, hourStart, toSeries, toSummary, type Tally } from "../buckets.ts";
import { normalizeProbe } from "../probe-record.ts";
import { checkVantageName } from "../vantage-record.ts";
import type { MemoryLatestProbes } from "./latest-probe-store.ts";

/**
 * Raw probes per node keyed by time, hourly tallies per node keyed by hour start; each batch also
 * folded into `latest`'s newest results per (node, vantage) when given.
 */
export function memoryProbeStore(latest?: Pick<MemoryLatestProbes, "write">): ProbeStore {
  const raw = new Map<string, Map<number, ProbeRecord>>();
  const hours = new Map<string, Map<number, Tally>>();

  const ofNode = <V>(m: Map<string, Map<number, V>>, nodeId: string): Map<number, V> => {
    let inner = m.get(nodeId);
    if (inner === undefined) m.set(nodeId, (inner = new Map()));
    return inner;
  };

  /** Tallies of [since, until) by bucket index: raw by their time, rollups by their hour's start. */
  const tallies = (nodeId: string, since: number, until: number, bucketMs: number): Map<number, Tally> => {
    const byBucket = new Map<number, Tally>();
    const add = (at: number, t: Tally) => {
      if (at < since || at >= until) return;
      const b = Math.floor((at - since) / bucketMs);
      const into = byBucket.get(b) ?? emptyTally();
      addTally(into, t);
      byBucket.set(b, into);
    };
    for (const p of raw.get(nodeId)?.values() ?? []) add(p.at, probeTally(p));
    for (const [hour, t] of hours.get(nodeId) ?? []) add(hour, t);
    return byBucket;
  };

  return {
    async appendProbes(batch, vantage = LOCAL_VANTAGE) {
      checkVantageName(vantage);
      const rows = batch.map(normalizeProbe);
      for (const r of rows) ofNode(raw, r.nodeId).set(r.at, r);
      latest?.write(rows, vantage);
    },

    async recentProbes(nodeId, limit) {
      checkLimit(limit);
      const all = [...(raw.get(nodeId)?.values() ?? [])];
      return all
        .sort((a, b) => b.at - a.at)
        .slice(0, limit)
        .map((p) => ({ ...p }));
    },

    async latestTimes(nodeId) {
      let probeAt: number | null = null;
      let goodAt: number | null = null;
      for (const p of raw.get(nodeId)?.values() ?? []) {
        if (probeAt === null || p.at > probeAt) probeAt = p.at;
        if (p.ok && (goodAt === null || p.at > goodAt)) goodAt = p.at;
      }
      return { probeAt, goodAt };
    },

    async uptime(nodeId, since, until) {
      checkRange(since, until);
      if (until <= since) return toSummary(emptyTally());
      return toSummary(tallies(nodeId, since, until, until - since).get(0) ?? emptyTally());
    },

    async series(nodeId, since, until, bucketMs) {
      checkRange(since, until);
      const count = bucketCount(since, until, bucketMs);
      return toSeries(since, bucketMs, count, count === 0 ? new Map() : tallies(nodeId, since, until, bucketMs));
    },

    async compact(rawBefore, rollupBefore) {
      checkTime("rawBefore", rawBefore);
      checkTime("rollupBefore", rollupBefore);
      let rolledUp = 0;
      let deleted = 0;
      for (const [nodeId, probes] of raw) {
        for (const [at, p] of probes) {
          if (at >= rawBefore) continue;
          const into = ofNode(hours, nodeId);
          const t = into.get(hourStart(at)) ?? emptyTally();
          addTally(t, probeTally(p));
          into.set(hourStart(at), t);
          probes.delete(at);
          rolledUp++;
        }
      }
      for (const tallied of hours.values()) {
        for (const hour of tallied.keys()) {
          if (hour + HOUR_MS > rollupBefore) continue;
          tallied.delete(hour);
          deleted++;
        }
      }
      return { rolledUp, deleted };
    },
  };
}

function probeTally(p: ProbeRecord): Tally {
  return { up: p.ok ? 1 : 0, total: 1, latencySum: p.latencyMs ?? 0, latencyCount: p.latencyMs === null ? 0 : 1 };
}
