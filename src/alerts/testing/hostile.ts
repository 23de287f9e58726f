import type { AlertEvent, NodeRef } from "../event.ts";
import { MINUTE, rewardClock, T0 } from "./fixtures.ts";

/**
 * Test support only: node names an attacker (or an unlucky operator) can give a node through the
 * provider's label or a static host's name, and events that carry them everywhere a name goes:
 * the node's id (static hosts are "host:NAME"), the incident id, the dedupe key, the cause.
 */

export const HOSTILE_NAMES: readonly { what: string; name: string }[] = [
  { what: "Cyrillic", name: "узел-1" },
  { what: "emoji", name: "🚀node-🔥" },
  { what: "RTL override", name: "sn-\u202Egpj.exe" },
  { what: "Arabic and Hebrew", name: "عقدة-1 צומת" },
  { what: "CR/LF", name: "sn-1\r\nX-Injected: yes\r\n\r\n<b>body</b>" },
  { what: "NUL and escapes", name: "sn\u00001\u001b[31mRED\u0007" },
  { what: "10 KB of letters", name: "n".repeat(10_240) },
  // An odd start, so a cut at any even offset would split an emoji's surrogate pair.
  { what: "10 KB of emoji", name: `x${"🚀".repeat(5_120)}` },
];

export function hostileNode(name: string): NodeRef {
  return { id: `host:${name}`, name, address: "203.0.113.7" };
}

/** Events of every shape that carries outside text, all naming `name`. */
export function hostileEvents(name: string): AlertEvent[] {
  const node = hostileNode(name);
  const incidentId = `${node.id}@${T0}`;
  const clock = rewardClock(T0 - 2 * MINUTE);
  return [
    { kind: "down", at: T0, node, incidentId, since: T0, cause: `p2p timeout talking to ${name}`, clock },
    { kind: "escalation", at: T0 + 40 * MINUTE, node, incidentId, since: T0, minutesDown: 40, cause: name, clock },
    { kind: "remediation", at: T0 + 30 * MINUTE, node, incidentId, action: "reboot", outcome: "failed", detail: name, clock },
    { kind: "firewall-blocks", at: T0, node, incidentId, detail: name, clock },
    { kind: "degraded", at: T0, node, reason: name },
    { kind: "recovered", at: T0 + 23 * MINUTE, node, incidentId, since: T0, downForMs: 23 * MINUTE },
    { kind: "watcher-offline", at: T0, detail: name },
    { kind: "backup-code-used", at: T0, user: name, remaining: 3, ip: name },
  ];
}
