import type { Incident, IncidentEvent, IncidentEventKind } from "../watch/model.ts";
import { StoreError } from "./errors.ts";

/**
 * What a store accepts as an incident or an event, the same in every implementation. The kinds
 * list mirrors model.ts (the type check below fails to compile when they drift) and the SQLite
 * CHECK of migration 0001: a new kind needs a migration that widens that CHECK.
 */
export const INCIDENT_EVENT_KINDS = [
  "down",
  "escalation",
  "recovered",
  "remediation",
  "remediation-skipped",
  "alert-sent",
  "alert-failed",
  "degraded",
] as const;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type _KindsMatchModelTs = Assert<Same<(typeof INCIDENT_EVENT_KINDS)[number], IncidentEventKind>>;

const KINDS: ReadonlySet<string> = new Set(INCIDENT_EVENT_KINDS);

export function checkIncidentEvent(incidentId: string, e: IncidentEvent): IncidentEvent {
  if (!isTime(e.at)) throw invalid(incidentId, `event time must be whole ms since the epoch, got ${e.at}`);
  if (!KINDS.has(e.kind)) throw invalid(incidentId, `event kind ${JSON.stringify(e.kind)} is not one of ${INCIDENT_EVENT_KINDS.join(", ")}`);
  return { at: e.at, kind: e.kind, detail: e.detail };
}

export function checkNewIncident(i: Omit<Incident, "endedAt" | "timeline">): void {
  if (i.id === "") throw invalid(i.id, "the id is empty");
  if (!isTime(i.startedAt)) throw invalid(i.id, `startedAt must be whole ms since the epoch, got ${i.startedAt}`);
  if (i.lastGoodAt !== null && !isTime(i.lastGoodAt)) throw invalid(i.id, `lastGoodAt must be whole ms since the epoch or null, got ${i.lastGoodAt}`);
}

export function checkEndedAt(incidentId: string, endedAt: number): void {
  if (!isTime(endedAt)) throw invalid(incidentId, `endedAt must be whole ms since the epoch, got ${endedAt}`);
}

/** Timelines are ordered by time; events at the same ms keep the order they were stored in. */
export function byTime(a: { at: number; seq: number }, b: { at: number; seq: number }): number {
  return a.at - b.at || a.seq - b.seq;
}

export function notFound(incidentId: string): StoreError {
  return new StoreError("not-found", `incident ${JSON.stringify(incidentId)} is not in the store`);
}

export function alreadyClosed(incidentId: string, endedAt: number): StoreError {
  return new StoreError("conflict", `incident ${JSON.stringify(incidentId)} was already closed at ${new Date(endedAt).toISOString()}`);
}

export function alreadyOpened(incidentId: string): StoreError {
  return new StoreError("conflict", `incident ${JSON.stringify(incidentId)} already exists; an incident is opened once`);
}

function isTime(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function invalid(incidentId: string, why: string): StoreError {
  return new StoreError("invalid-argument", `cannot store incident ${JSON.stringify(incidentId)}: ${why}`);
}
