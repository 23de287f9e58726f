import type { AlertEvent, NodeRef } from "./event.ts";
import { displayLine } from "./clip.ts";

/**
 * The event as text shows it: every string that came from outside (a provider's label, a static
 * host's name, a probe's cause, a user name) on one line, free of control and direction-changing
 * characters, and short, so a 10 KB or hostile name cannot push a message past a service's limits
 * or rewrite what the reader sees. Ids are left alone (they are never shown as text). Pure.
 */

/** Lengths in UTF-16 units: generous for real names and causes, small against any service limit. */
export const DISPLAY_LIMITS = { name: 100, address: 64, detail: 400, user: 64 } as const;

export function displayEvent(e: AlertEvent): AlertEvent {
  switch (e.kind) {
    case "down":
    case "escalation":
      return { ...e, node: displayNode(e.node), cause: displayLine(e.cause, DISPLAY_LIMITS.detail) };
    case "recovered":
      return { ...e, node: displayNode(e.node) };
    case "remediation":
    case "firewall-blocks":
      return { ...e, node: displayNode(e.node), detail: displayLine(e.detail, DISPLAY_LIMITS.detail) };
    case "degraded":
      return { ...e, node: displayNode(e.node), reason: displayLine(e.reason, DISPLAY_LIMITS.detail) };
    case "watcher-offline":
    case "watcher-fault":
    case "watcher-fault-cleared":
      return { ...e, detail: displayLine(e.detail, DISPLAY_LIMITS.detail) };
    case "backup-code-used":
      return { ...e, user: displayLine(e.user, DISPLAY_LIMITS.user), ip: e.ip === null ? null : displayLine(e.ip, DISPLAY_LIMITS.address) };
    case "watcher-online":
      return e;
    case "vantage-lost":
      return { ...e, vantage: displayLine(e.vantage, DISPLAY_LIMITS.name), region: displayLine(e.region, DISPLAY_LIMITS.name), detail: displayLine(e.detail, DISPLAY_LIMITS.detail) };
    case "vantage-back":
      return { ...e, vantage: displayLine(e.vantage, DISPLAY_LIMITS.name), region: displayLine(e.region, DISPLAY_LIMITS.name) };
    case "network-expired":
    case "network-new-start-required":
    case "unseen-by-network":
    case "network-ok":
      // The detail quotes what peers sent (an announced address, a malformed answer): outside text.
      return { ...e, node: displayNode(e.node), alias: displayLine(e.alias, DISPLAY_LIMITS.name), outpoint: displayLine(e.outpoint, DISPLAY_LIMITS.address * 2), detail: displayLine(e.detail, DISPLAY_LIMITS.detail) };
    case "test":
      return { ...e, channel: displayLine(e.channel, DISPLAY_LIMITS.name) };
  }
}

function displayNode(n: NodeRef): NodeRef {
  return { id: n.id, name: displayLine(n.name, DISPLAY_LIMITS.name), address: displayLine(n.address, DISPLAY_LIMITS.address) };
}
