import type { AlertEvent, NetworkAlertKind, NetworkFacts, NodeRef } from "../alerts/event.ts";
import { detailLine, detailText } from "../netview/detail.ts";
import type { NetworkVerdict } from "../netview/model.ts";
import type { NetworkCondition, NetviewRecord, NetviewTarget } from "../netview/ports.ts";
import { outpointKey } from "../netview/outpoint.ts";
import type { ExpiryRule } from "./reward-clock.ts";

/**
 * From what the network says of a node to what the watcher alerts: the condition a verdict shows,
 * and the transition from the node's previous record. Pure.
 *
 * - UNKNOWN (no peer answered) says nothing: the previous condition holds.
 * - EXPIRED and UPDATE_REQUIRED → expired; NEW_START_REQUIRED → new-start, whether or not nodeward
 *   reaches the node: they are the network's facts, and the node needs a hand either way.
 * - UNLISTED, or ENABLED / PRE_ENABLED with a ping older than unseenAfterMinutes → unseen, but only
 *   while nodeward reaches the node. A node nodeward does not reach has its down alerts; its
 *   previous condition holds.
 * - ENABLED / PRE_ENABLED with a fresh ping → ok; network-ok is sent only when it clears an alert.
 */

export interface ConditionRules {
  unseenAfterMinutes: number;
  expiry: ExpiryRule;
}

const ALERTED: Record<Exclude<NetworkCondition, "ok" | "unknown">, NetworkAlertKind> = {
  expired: "network-expired",
  "new-start": "network-new-start-required",
  unseen: "unseen-by-network",
};

/** The condition the verdict shows, or null when it shows none (the previous one holds). */
export function conditionOf(v: NetworkVerdict, reachable: boolean, rules: ConditionRules): NetworkCondition | null {
  switch (v.state) {
    case "UNKNOWN":
      return null;
    case "EXPIRED":
    case "UPDATE_REQUIRED":
      return "expired";
    case "NEW_START_REQUIRED":
      return "new-start";
    case "UNLISTED":
      return reachable ? "unseen" : null;
    case "ENABLED":
    case "PRE_ENABLED":
      if (v.lastPingAt !== null && v.askedAt - v.lastPingAt < rules.unseenAfterMinutes * 60_000) return "ok";
      return reachable ? "unseen" : null;
  }
}

/**
 * When a condition began. Where the verdict carries it, the network's own moment (the last ping
 * plus the mark it passed), so that a watcher that repeats a change its predecessor queued but did
 * not save (killed between the two, or a new leader) finds the same dedupe key; otherwise when it
 * was seen. Never later than the verdict, never before the condition it follows.
 */
function sinceOf(c: NetworkCondition, v: NetworkVerdict, rules: ConditionRules, previousSince: number | null): number {
  const after = (minutes: number) => (v.lastPingAt === null ? v.askedAt : v.lastPingAt + minutes * 60_000);
  const derived =
    c === "expired" && v.state === "EXPIRED"
      ? after(rules.expiry.expiredMinutes)
      : c === "new-start"
        ? after(rules.expiry.newStartRequiredMinutes)
        : c === "unseen" && v.state !== "UNLISTED"
          ? after(rules.unseenAfterMinutes)
          : v.askedAt;
  return Math.max(Math.min(derived, v.askedAt), previousSince ?? 0);
}

export interface TrackInput {
  target: NetviewTarget;
  node: NodeRef;
  verdict: NetworkVerdict;
  /** nodeward reaches the node now (the engine says up). */
  reachable: boolean;
  /** The node's last record; ignored when it names another collateral (the node was re-pointed). */
  previous: NetviewRecord | undefined;
}

/** The node's new record and the alerts the change calls for (queued before the record is saved). */
export function track(input: TrackInput, rules: ConditionRules): { record: NetviewRecord; events: AlertEvent[] } {
  const { verdict: v, target } = input;
  const outpoint = outpointKey(target.outpoint);
  const previous = input.previous?.outpoint === outpoint ? input.previous : undefined;
  const seen = conditionOf(v, input.reachable, rules);
  const base = {
    nodeId: target.nodeId,
    outpoint,
    state: v.state,
    lastPingAt: v.lastPingAt,
    minutesToExpired: v.minutesToExpired,
    askedAt: v.askedAt,
    detail: detailText(v),
  };
  const held = seen === null || seen === previous?.condition;
  if (held) {
    const condition = previous?.condition ?? "unknown";
    return { record: { ...base, condition, conditionSince: previous?.conditionSince ?? v.askedAt }, events: [] };
  }
  const since = sinceOf(seen, v, rules, previous?.conditionSince ?? null);
  const record: NetviewRecord = { ...base, condition: seen, conditionSince: since };
  const facts: NetworkFacts = {
    at: v.askedAt,
    node: input.node,
    alias: target.alias,
    outpoint,
    state: v.state,
    lastPingAt: v.lastPingAt,
    minutesToExpired: v.minutesToExpired,
    since,
    detail: detailLine(v),
  };
  if (seen === "ok" || seen === "unknown") {
    const cleared = previous === undefined || previous.condition === "ok" || previous.condition === "unknown" ? null : ALERTED[previous.condition];
    // network-ok is keyed by the start of what it clears: the same for whoever sends it.
    return { record, events: cleared === null ? [] : [{ kind: "network-ok", ...facts, since: previous!.conditionSince, cleared }] };
  }
  return { record, events: [{ kind: ALERTED[seen], ...facts }] };
}
