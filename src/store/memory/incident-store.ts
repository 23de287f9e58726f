import type { Incident, IncidentEvent } from "../../watch/model.ts";
import type { IncidentStore } from "../../watch/ports.ts";
import { checkLimit, checkTime } from "../arguments.ts";
import { alreadyClosed, alreadyOpened, byTime, checkEndedAt, checkIncidentEvent, checkNewIncident, notFound } from "../incident-record.ts";

interface Kept {
  incident: Omit<Incident, "timeline">;
  events: (IncidentEvent & { seq: number })[];
}

/** Incidents by id with their events; `seq` keeps the storing order of events at the same ms. */
export function memoryIncidentStore(): IncidentStore {
  const kept = new Map<string, Kept>();
  let seq = 0;

  const find = (id: string): Kept => {
    const k = kept.get(id);
    if (k === undefined) throw notFound(id);
    return k;
  };
  const record = (k: Kept, e: IncidentEvent) => k.events.push({ at: e.at, kind: e.kind, detail: e.detail, seq: ++seq });
  const view = (k: Kept): Incident => ({
    ...k.incident,
    timeline: [...k.events].sort(byTime).map((e) => ({ at: e.at, kind: e.kind, detail: e.detail })),
  });
  const newestFirst = (a: Kept, b: Kept) => b.incident.startedAt - a.incident.startedAt || compare(b.incident.id, a.incident.id);

  return {
    async open(incident, first) {
      checkNewIncident(incident);
      const event = checkIncidentEvent(incident.id, first);
      if (kept.has(incident.id)) throw alreadyOpened(incident.id);
      const { id, nodeId, startedAt, lastGoodAt, cause } = incident;
      const k: Kept = { incident: { id, nodeId, startedAt, lastGoodAt, cause, endedAt: null }, events: [] };
      record(k, event);
      kept.set(id, k);
    },
    async append(incidentId, event) {
      const checked = checkIncidentEvent(incidentId, event);
      record(find(incidentId), checked);
    },
    async close(incidentId, endedAt, last) {
      checkEndedAt(incidentId, endedAt);
      const checked = checkIncidentEvent(incidentId, last);
      const k = find(incidentId);
      if (k.incident.endedAt !== null) throw alreadyClosed(incidentId, k.incident.endedAt);
      k.incident.endedAt = endedAt;
      record(k, checked);
    },
    async openIncidents() {
      return [...kept.values()]
        .filter((k) => k.incident.endedAt === null)
        .sort((a, b) => newestFirst(b, a))
        .map(view);
    },
    async list(filter) {
      checkLimit(filter.limit);
      if (filter.since !== undefined) checkTime("since", filter.since);
      return [...kept.values()]
        .filter((k) => (filter.nodeId === undefined || k.incident.nodeId === filter.nodeId) && (filter.since === undefined || k.incident.startedAt >= filter.since))
        .sort(newestFirst)
        .slice(0, filter.limit)
        .map(view);
    },
    async get(incidentId) {
      const k = kept.get(incidentId);
      return k === undefined ? null : view(k);
    },
    async prune(endedBefore) {
      checkTime("endedBefore", endedBefore);
      let n = 0;
      for (const [id, k] of kept) if (k.incident.endedAt !== null && k.incident.endedAt < endedBefore && kept.delete(id)) n++;
      return n;
    },
    async lastRemediation(nodeId) {
      let last: number | null = null;
      for (const k of kept.values()) {
        if (k.incident.nodeId !== nodeId) continue;
        for (const e of k.events) if (e.kind === "remediation" && (last === null || e.at > last)) last = e.at;
      }
      return last;
    },
  };
}

/** Byte order of the UTF-8 text, as SQLite's BINARY collation compares. */
function compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
