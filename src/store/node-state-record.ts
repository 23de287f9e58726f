import type { NodeHealth, NodeWatchState } from "../watch/model.ts";
import { StoreError } from "./errors.ts";

/**
 * What a store accepts as a node's watch state, the same in every implementation, and the text
 * form of the escalation marks ("20,40") kept in one SQLite column. The health list mirrors
 * model.ts (checked at compile time) and the CHECK of migration 0001.
 */
export const NODE_HEALTHS = ["unknown", "up", "suspect", "down", "recovering"] as const;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type _HealthsMatchModelTs = Assert<Same<(typeof NODE_HEALTHS)[number], NodeHealth>>;

const HEALTHS: ReadonlySet<string> = new Set(NODE_HEALTHS);

export function isNodeHealth(s: string): s is NodeHealth {
  return HEALTHS.has(s);
}

export function checkNodeState(s: NodeWatchState): void {
  const bad = (why: string) => new StoreError("invalid-argument", `cannot store the watch state of ${JSON.stringify(s.nodeId)}: ${why}`);
  if (s.nodeId === "") throw bad("nodeId is empty");
  if (!isNodeHealth(s.health)) throw bad(`health ${JSON.stringify(s.health)} is not one of ${NODE_HEALTHS.join(", ")}`);
  if (!isCount(s.failures) || !isCount(s.successes)) throw bad(`failures and successes must be whole numbers ≥ 0, got ${s.failures} and ${s.successes}`);
  for (const [name, v] of [["lastGoodAt", s.lastGoodAt], ["lastProbeAt", s.lastProbeAt], ["failingSince", s.failingSince], ["incident.startedAt", s.incident?.startedAt ?? null]] as const) {
    if (v !== null && !isCount(v)) throw bad(`${name} must be whole ms since the epoch or null, got ${v}`);
  }
  if (s.incident !== null) {
    if (s.incident.id === "") throw bad("incident.id is empty");
    if (!s.incident.escalated.every(isCount)) throw bad(`incident.escalated must hold whole minutes ≥ 0, got [${s.incident.escalated.join(", ")}]`);
  }
}

export function encodeEscalated(marks: readonly number[]): string {
  return marks.join(",");
}

/** Parses "20,40" (or "" for none); null when the text is not such a list. */
export function decodeEscalated(text: string): number[] | null {
  if (text === "") return [];
  if (!/^\d{1,9}(,\d{1,9})*$/.test(text)) return null;
  return text.split(",").map(Number);
}

function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
