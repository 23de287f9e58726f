import type { Incident, IncidentEventKind } from "../../watch/model.ts";
import type { IncidentStore } from "../../watch/ports.ts";
import { checkLimit, checkTime } from "../arguments.ts";
import { alreadyClosed, alreadyOpened, checkEndedAt, checkIncidentEvent, checkNewIncident, notFound } from "../incident-record.ts";
import type { Db, Query } from "./db.ts";

/**
 * `incidents` with their `incident_events` (kind held by a CHECK; timelines by (at, seq)). Writes
 * lock the incident's row (FOR UPDATE) before checking its state, so two watchers cannot both
 * close it; reads take the incidents and their events in one snapshot.
 */

interface IncidentRow {
  id: string;
  node_id: string;
  started_at: number;
  last_good_at: number | null;
  ended_at: number | null;
  cause: string;
}

interface EventRow {
  incident_id: string;
  at: number;
  kind: IncidentEventKind;
  detail: string;
}

const COLUMNS = "id, node_id, started_at, last_good_at, ended_at, cause";
const INSERT_EVENT = "INSERT INTO incident_events (incident_id, at, kind, detail) VALUES ($1, $2, $3, $4)";

/** The incident's end, locked for this transaction; undefined when there is no such incident. */
async function lockedEnd(q: Query, id: string): Promise<{ ended_at: number | null } | undefined> {
  return (await q<{ ended_at: number | null }>("SELECT ended_at FROM incidents WHERE id = $1 FOR UPDATE", [id])).rows[0];
}

/** The incidents' timelines, read in the caller's snapshot. */
async function withTimelines(q: Query, rows: IncidentRow[]): Promise<Incident[]> {
  if (rows.length === 0) return [];
  const events = await q<EventRow>(
    "SELECT incident_id, at, kind, detail FROM incident_events WHERE incident_id = ANY($1::text[]) ORDER BY incident_id, at, seq",
    [rows.map((r) => r.id)],
  );
  const byIncident = new Map<string, Incident["timeline"][number][]>();
  for (const e of events.rows) {
    const list = byIncident.get(e.incident_id) ?? [];
    list.push({ at: e.at, kind: e.kind, detail: e.detail });
    byIncident.set(e.incident_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    nodeId: r.node_id,
    startedAt: r.started_at,
    lastGoodAt: r.last_good_at,
    endedAt: r.ended_at,
    cause: r.cause,
    timeline: byIncident.get(r.id) ?? [],
  }));
}

export function postgresIncidentStore(db: Db): IncidentStore {
  const read = (sql: string, params: unknown[]) => db.read(async (q) => withTimelines(q, (await q<IncidentRow>(sql, params)).rows));

  return {
    async open(incident, first) {
      checkNewIncident(incident);
      const e = checkIncidentEvent(incident.id, first);
      await db.write(async (q) => {
        const inserted = await q(
          "INSERT INTO incidents (id, node_id, started_at, last_good_at, cause) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
          [incident.id, incident.nodeId, incident.startedAt, incident.lastGoodAt, incident.cause],
        );
        if (inserted.rowCount !== 1) throw alreadyOpened(incident.id);
        await q(INSERT_EVENT, [incident.id, e.at, e.kind, e.detail]);
      });
    },
    async append(incidentId, event) {
      const e = checkIncidentEvent(incidentId, event);
      await db.write(async (q) => {
        // FOR SHARE: the incident cannot be pruned between the check and the insert.
        const found = await q("SELECT 1 FROM incidents WHERE id = $1 FOR SHARE", [incidentId]);
        if (found.rowCount === 0) throw notFound(incidentId);
        await q(INSERT_EVENT, [incidentId, e.at, e.kind, e.detail]);
      });
    },
    async close(incidentId, at, last) {
      checkEndedAt(incidentId, at);
      const e = checkIncidentEvent(incidentId, last);
      await db.write(async (q) => {
        const row = await lockedEnd(q, incidentId);
        if (row === undefined) throw notFound(incidentId);
        if (row.ended_at !== null) throw alreadyClosed(incidentId, row.ended_at);
        await q("UPDATE incidents SET ended_at = $1 WHERE id = $2", [at, incidentId]);
        await q(INSERT_EVENT, [incidentId, e.at, e.kind, e.detail]);
      });
    },
    async openIncidents() {
      return read(`SELECT ${COLUMNS} FROM incidents WHERE ended_at IS NULL ORDER BY started_at, id COLLATE "C"`, []);
    },
    async list(filter) {
      checkLimit(filter.limit);
      if (filter.since !== undefined) checkTime("since", filter.since);
      return read(
        `SELECT ${COLUMNS} FROM incidents
         WHERE ($1::text IS NULL OR node_id = $1::text) AND ($2::bigint IS NULL OR started_at >= $2::bigint)
         ORDER BY started_at DESC, id COLLATE "C" DESC LIMIT $3`,
        [filter.nodeId ?? null, filter.since ?? null, filter.limit],
      );
    },
    async get(incidentId) {
      return (await read(`SELECT ${COLUMNS} FROM incidents WHERE id = $1`, [incidentId]))[0] ?? null;
    },
    async lastRemediation(nodeId) {
      const { rows } = await db.query<{ at: number | null }>(
        "SELECT max(e.at) AS at FROM incident_events e JOIN incidents i ON i.id = e.incident_id WHERE i.node_id = $1 AND e.kind = 'remediation'",
        [nodeId],
      );
      return rows[0]?.at ?? null;
    },
    async prune(endedBefore) {
      checkTime("endedBefore", endedBefore);
      // incident_events go with their incident (ON DELETE CASCADE).
      return (await db.query("DELETE FROM incidents WHERE ended_at IS NOT NULL AND ended_at < $1", [endedBefore])).rowCount ?? 0;
    },
  };
}
