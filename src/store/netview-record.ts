import { NETWORK_STATES, type VerdictState } from "../netview/model.ts";
import type { NetworkCondition, NetviewRecord } from "../netview/ports.ts";
import { StoreError } from "./errors.ts";

/**
 * What a store accepts as a node's network view (netview/ports.ts NetviewRecord), the same in
 * every implementation, and its row in `netview`, the same table in SQLite (migration 0006) and
 * PostgreSQL (0004). The two lists mirror the types (checked at compile time) and the CHECKs of
 * those migrations; the contract stores every value of each, so a list that drifts from a CHECK fails there.
 *
 * `detail` is kept as the text it came as: the port defines it as a string (the verdict as JSON),
 * and the netview capability, which owns its shape, reads it back. Text that PostgreSQL cannot
 * hold (a NUL character) is refused by every store alike; JSON.stringify never writes one.
 */
export const VERDICT_STATES = [...NETWORK_STATES, "UNLISTED", "UNKNOWN"] as const;
export const NETWORK_CONDITIONS = ["ok", "expired", "new-start", "unseen", "unknown"] as const;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type _StatesMatchModelTs = Assert<Same<(typeof VERDICT_STATES)[number], VerdictState>>;
export type _ConditionsMatchPortsTs = Assert<Same<(typeof NETWORK_CONDITIONS)[number], NetworkCondition>>;

const STATES: ReadonlySet<string> = new Set(VERDICT_STATES);
const CONDITIONS: ReadonlySet<string> = new Set(NETWORK_CONDITIONS);

/**
 * Throws StoreError "invalid-argument" for a record no store could keep faithfully; returns a copy.
 * Stores check a whole batch before writing any of it.
 */
export function checkNetviewRecord(r: NetviewRecord): NetviewRecord {
  const bad = (why: string) => new StoreError("invalid-argument", `cannot store the network view of ${JSON.stringify(String(r.nodeId).slice(0, 200))}: ${why}; nothing of the batch was stored`);
  for (const [name, v] of [["nodeId", r.nodeId], ["outpoint", r.outpoint], ["detail", r.detail]] as const) {
    if (typeof v !== "string") throw bad(`${name} must be a string, got ${typeof v}`);
    if (v.includes("\u0000")) throw bad(`${name} holds a NUL character`);
  }
  if (r.nodeId === "") throw bad("nodeId is empty");
  if (r.outpoint === "") throw bad("outpoint is empty");
  if (!STATES.has(r.state)) throw bad(`state ${JSON.stringify(r.state)} is not one of ${VERDICT_STATES.join(", ")}`);
  if (!CONDITIONS.has(r.condition)) throw bad(`condition ${JSON.stringify(r.condition)} is not one of ${NETWORK_CONDITIONS.join(", ")}`);
  for (const [name, v] of [["askedAt", r.askedAt], ["conditionSince", r.conditionSince], ["lastPingAt", r.lastPingAt], ["minutesToExpired", r.minutesToExpired]] as const) {
    const nullable = name === "lastPingAt" || name === "minutesToExpired";
    if (v === null && nullable) continue;
    if (!isCount(v)) throw bad(`${name} must be a whole number ≥ 0${nullable ? " or null" : " (ms since the epoch)"}, got ${v}`);
  }
  return {
    nodeId: r.nodeId,
    outpoint: r.outpoint,
    state: r.state,
    lastPingAt: r.lastPingAt,
    minutesToExpired: r.minutesToExpired,
    askedAt: r.askedAt,
    condition: r.condition,
    conditionSince: r.conditionSince,
    detail: r.detail,
  };
}

/** A row of `netview` (SQLite and PostgreSQL alike; PostgreSQL's bigints come back as numbers, connection.ts). */
export interface NetviewRow {
  node_id: string;
  outpoint: string;
  state: string;
  last_ping_at: number | null;
  minutes_to_expired: number | null;
  asked_at: number;
  condition: string;
  condition_since: number;
  detail: string;
}

export const NETVIEW_COLUMNS = [
  "node_id", "outpoint", "state", "last_ping_at", "minutes_to_expired", "asked_at", "condition", "condition_since", "detail",
] as const satisfies readonly (keyof NetviewRow)[];

export function toNetviewRow(r: NetviewRecord): NetviewRow {
  return {
    node_id: r.nodeId,
    outpoint: r.outpoint,
    state: r.state,
    last_ping_at: r.lastPingAt,
    minutes_to_expired: r.minutesToExpired,
    asked_at: r.askedAt,
    condition: r.condition,
    condition_since: r.conditionSince,
    detail: r.detail,
  };
}

/** The CHECKs of the table hold the lists; read back through the type guards all the same. */
export function fromNetviewRow(row: NetviewRow): NetviewRecord {
  const corrupt = (why: string) =>
    new StoreError("corrupt-row", `the stored network view of ${JSON.stringify(row.node_id.slice(0, 200))} is damaged: ${why}`, {
      hint: "prune the node's row (the next network query writes it again) or restore the database from a backup",
    });
  if (!isVerdictState(row.state)) throw corrupt(`state ${JSON.stringify(row.state)}`);
  if (!isCondition(row.condition)) throw corrupt(`condition ${JSON.stringify(row.condition)}`);
  return {
    nodeId: row.node_id,
    outpoint: row.outpoint,
    state: row.state,
    lastPingAt: row.last_ping_at,
    minutesToExpired: row.minutes_to_expired,
    askedAt: row.asked_at,
    condition: row.condition,
    conditionSince: row.condition_since,
    detail: row.detail,
  };
}

/** Byte order of the UTF-8 node ids: SQLite's BINARY and PostgreSQL's COLLATE "C" sort so, and so does memory. */
export function byNodeId(a: NetviewRecord, b: NetviewRecord): number {
  return Buffer.compare(Buffer.from(a.nodeId), Buffer.from(b.nodeId));
}

function isVerdictState(s: string): s is VerdictState {
  return STATES.has(s);
}

function isCondition(s: string): s is NetworkCondition {
  return CONDITIONS.has(s);
}

function isCount(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}
