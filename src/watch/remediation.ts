/**
 * Remediation policy (pure): when a node has been down long enough, ask the provider to reboot
 * it (or start it when stopped) — never a healthy node, never more than once per window, never
 * when the provider reports it locked or pending, never when the firewall is the cause.
 */

export interface RemediationPolicy {
  enabled: boolean;
  /** Minutes down before acting (default 10). */
  afterMinutes: number;
  /** At most one action per node per this many minutes (default 30). */
  windowMinutes: number;
}

export interface RemediationFacts {
  now: number;
  /** The incident's start; null when the node is not down. */
  downSince: number | null;
  /** The latest probe still completed the handshake: the node is not dead, whatever else failed. */
  handshakeAnswers: boolean;
  lastActionAt: number | null;
  /** From the provider, fetched just before deciding. */
  instance: { status: string; powerStatus: string; serverStatus: string } | null;
  /** Drift shows the group does not accept a coin port for this node: a reboot would not help. */
  firewallBlocksCoinPort: boolean;
}

export type RemediationDecision =
  | { kind: "reboot" }
  | { kind: "start" }
  | { kind: "alert-firewall" }
  | { kind: "wait"; reason: string };

/** A firewall that blocks the coin's port is reported at once, remediation on or off: no reboot fixes it. */
export function decideRemediation(p: RemediationPolicy, f: RemediationFacts): RemediationDecision {
  if (f.downSince === null) return { kind: "wait", reason: "the node is not down" };
  if (f.firewallBlocksCoinPort) return { kind: "alert-firewall" };
  if (!p.enabled) return { kind: "wait", reason: "remediation is off" };
  if (f.handshakeAnswers) return { kind: "wait", reason: "the node still answers the handshake" };
  const downMinutes = (f.now - f.downSince) / 60_000;
  if (downMinutes < p.afterMinutes) return { kind: "wait", reason: `down ${Math.floor(downMinutes)} of ${p.afterMinutes} minutes` };
  if (f.lastActionAt !== null && f.now - f.lastActionAt < p.windowMinutes * 60_000) {
    return { kind: "wait", reason: `already acted ${Math.floor((f.now - f.lastActionAt) / 60_000)} minutes ago (one action per ${p.windowMinutes} minutes)` };
  }
  if (f.instance === null) return { kind: "wait", reason: "the provider does not know this instance" };
  if (f.instance.serverStatus === "locked") return { kind: "wait", reason: "the provider reports the server locked" };
  if (f.instance.status !== "active") return { kind: "wait", reason: `the provider reports the instance ${f.instance.status}` };
  if (f.instance.serverStatus === "installingbooting") return { kind: "wait", reason: "the server is installing or booting" };
  return f.instance.powerStatus === "stopped" ? { kind: "start" } : { kind: "reboot" };
}
