import type Database from "better-sqlite3";
import type { Incident, IncidentEvent, IncidentEventKind } from "../../watch/model.ts";
import type { IncidentStore } from "../../watch/ports.ts";
import { checkLimit, checkTime } from "../arguments.ts";
import { alreadyClosed, alreadyOpened, checkEndedAt, checkIncidentEvent, checkNewIncident, notFound } from "../incident-record.ts";

/** `incidents` with their `incident_events` (kind held by a CHECK; timelines by (at, seq)). */

interface IncidentRow {
  id: string;
  node_id: string;
  started_at: number;
  last_good_at: number | null;
  ended_at: number | null;
  cause: string;
}

interface EventRow {
  at: number;
  kind: IncidentEventKind;
  detail: string;
}

interface ListArgs {
  nodeId: string | null;
  since: number | null;
  limit: number;
}

const COLUMNS = "id, node_id, started_at, last_good_at, ended_at, cause";

export function sqliteIncidentStore(db: Database.Database): IncidentStore {
  const insertIncident = db.prepare<[string, string, number, number | null, string]>(
    "INSERT INTO incidents (id, node_id, started_at, last_good_at, cause) VALUES (?, ?, ?, ?, ?)",
  );
  const insertEvent = db.prepare<[string, number, string, string]>("INSERT INTO incident_events (incident_id, at, kind, detail) VALUES (?, ?, ?, ?)");
  const endedAt = db.prepare<[string], { ended_at: number | null }>("SELECT ended_at FROM incidents WHERE id = ?");
  const setEnded = db.prepare<[number, string]>("UPDATE incidents SET ended_at = ? WHERE id = ?");
  const timeline = db.prepare<[string], EventRow>("SELECT at, kind, detail FROM incident_events WHERE incident_id = ? ORDER BY at, seq");
  const openRows = db.prepare<[], IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE ended_at IS NULL ORDER BY started_at, id`);
  const oneRow = db.prepare<[string], IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE id = ?`);
  const listRows = db.prepare<ListArgs, IncidentRow>(
    `SELECT ${COLUMNS} FROM incidents
     WHERE (@nodeId IS NULL OR node_id = @nodeId) AND (@since IS NULL OR started_at >= @since)
     ORDER BY started_at DESC, id DESC LIMIT @limit`,
  );
  const pruneEnded = db.prepare<[number]>("DELETE FROM incidents WHERE ended_at IS NOT NULL AND ended_at < ?");
  const lastRemediation = db
    .prepare<[string], number | null>(
      `SELECT MAX(e.at) FROM incident_events e JOIN incidents i ON i.id = e.incident_id
       WHERE i.node_id = ? AND e.kind = 'remediation'`,
    )
    .pluck();

  const withTimeline = (row: IncidentRow): Incident => ({
    id: row.id,
    nodeId: row.node_id,
    startedAt: row.started_at,
    lastGoodAt: row.last_good_at,
    endedAt: row.ended_at,
    cause: row.cause,
    timeline: timeline.all(row.id).map((e) => ({ at: e.at, kind: e.kind, detail: e.detail })),
  });

  const addEvent = (incidentId: string, e: IncidentEvent) => insertEvent.run(incidentId, e.at, e.kind, e.detail);

  const open = db.transaction((incident: Omit<Incident, "endedAt" | "timeline">, first: IncidentEvent) => {
    if (endedAt.get(incident.id) !== undefined) throw alreadyOpened(incident.id);
    insertIncident.run(incident.id, incident.nodeId, incident.startedAt, incident.lastGoodAt, incident.cause);
    addEvent(incident.id, first);
  });
  const append = db.transaction((incidentId: string, event: IncidentEvent) => {
    if (endedAt.get(incidentId) === undefined) throw notFound(incidentId);
    addEvent(incidentId, event);
  });
  const close = db.transaction((incidentId: string, at: number, last: IncidentEvent) => {
    const row = endedAt.get(incidentId);
    if (row === undefined) throw notFound(incidentId);
    if (row.ended_at !== null) throw alreadyClosed(incidentId, row.ended_at);
    setEnded.run(at, incidentId);
    addEvent(incidentId, last);
  });
  /** Incidents and their events read in one snapshot. */
  const read = db.transaction((rows: () => IncidentRow[]) => rows().map(withTimeline));

  return {
    async open(incident, first) {
      checkNewIncident(incident);
      open.immediate(incident, checkIncidentEvent(incident.id, first));
    },
    async append(incidentId, event) {
      append.immediate(incidentId, checkIncidentEvent(incidentId, event));
    },
    async close(incidentId, at, last) {
      checkEndedAt(incidentId, at);
      close.immediate(incidentId, at, checkIncidentEvent(incidentId, last));
    },
    async openIncidents() {
      return read.deferred(() => openRows.all());
    },
    async list(filter) {
      checkLimit(filter.limit);
      if (filter.since !== undefined) checkTime("since", filter.since);
      const args = { nodeId: filter.nodeId ?? null, since: filter.since ?? null, limit: filter.limit };
      return read.deferred(() => listRows.all(args));
    },
    async get(incidentId) {
      const found = read.deferred(() => {
        const row = oneRow.get(incidentId);
        return row === undefined ? [] : [row];
      });
      return found[0] ?? null;
    },
    async lastRemediation(nodeId) {
      return lastRemediation.get(nodeId) ?? null;
    },
    async prune(endedBefore) {
      checkTime("endedBefore", endedBefore);
      // incident_events go with their incident (ON DELETE CASCADE).
      return pruneEnded.run(endedBefore).changes;
    },
  };
}
