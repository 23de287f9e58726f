import type { AddressEvidence, PortState, VerifyExpectation } from "./evidence.ts";

export type VerifyFinding =
  | { kind: "unreachable-from-here"; address: string; family: 4 | 6 }
  | { kind: "required-port-not-open"; address: string; port: number; purpose: string; state: PortState }
  | { kind: "unexpected-open"; address: string; ports: readonly number[] }
  | { kind: "not-filtered"; address: string; ports: readonly number[] }
  | { kind: "handshake-failed"; address: string; port: number; reason: string; detail: string }
  | { kind: "protocol-too-old"; address: string; version: number; minimum: number }
  | { kind: "sapi-failed"; address: string; port: number; reason: string; detail: string };

/**
 * Pure: evidence → findings. A port that answers "closed" (RST) and is not one the policy opens
 * means packets reached the host: the cloud firewall is not in front of that address, because
 * Vultr drops what no rule accepts (a blocked port reads "filtered").
 */
export function verifyFindings(evidence: AddressEvidence, expect: VerifyExpectation): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  const { address } = evidence;
  // No route from this machine (e.g. no IPv6 here): nothing can be concluded, and nothing may pass.
  if (evidence.ports.length > 0 && evidence.ports.every((p) => NO_ROUTE.has(p.reason))) {
    return [{ kind: "unreachable-from-here", address, family: evidence.family }];
  }
  const byPort = new Map(evidence.ports.map((p) => [p.port, p]));
  const required = new Set(expect.required.map((r) => r.port));
  const allowed = new Set(expect.allowed);

  for (const r of expect.required) {
    const seen = byPort.get(r.port);
    if (seen !== undefined && seen.state !== "open") out.push({ kind: "required-port-not-open", address, port: r.port, purpose: r.purpose, state: seen.state });
  }
  const other = evidence.ports.filter((p) => !required.has(p.port) && !allowed.has(p.port));
  const open = other.filter((p) => p.state === "open").map((p) => p.port);
  if (open.length > 0) out.push({ kind: "unexpected-open", address, ports: open });
  const closed = other.filter((p) => p.state === "closed").map((p) => p.port);
  if (closed.length > 0) out.push({ kind: "not-filtered", address, ports: closed });

  const hs = evidence.handshake;
  if (hs !== undefined) {
    if (hs.result.status === "down") {
      out.push({ kind: "handshake-failed", address, port: hs.port, reason: hs.result.reason, detail: hs.result.detail });
    } else if (expect.minProtocolVersion !== undefined && hs.result.protocolVersion < expect.minProtocolVersion) {
      out.push({ kind: "protocol-too-old", address, version: hs.result.protocolVersion, minimum: expect.minProtocolVersion });
    }
  }
  const sapi = evidence.sapi;
  if (sapi !== undefined && sapi.result.status === "down") {
    out.push({ kind: "sapi-failed", address, port: sapi.port, reason: sapi.result.reason, detail: sapi.result.detail });
  }
  return out;
}

const NO_ROUTE = new Set(["net-unreachable", "no-network"]);

export function describeVerifyFinding(f: VerifyFinding): string {
  switch (f.kind) {
    case "unreachable-from-here":
      return `this machine has no route to this IPv${f.family} address, so it could not be checked: verify from a host with IPv${f.family}`;
    case "required-port-not-open":
      return `${f.purpose} port ${f.port} is ${f.state}${f.state === "filtered" ? ": a firewall blocks it" : ": nothing listens (is the daemon running?)"}`;
    case "unexpected-open":
      return `open but not in the policy: ${list(f.ports)}`;
    case "not-filtered":
      return `answered closed (RST), so packets reach the host: no cloud firewall in front of this address (${list(f.ports)})`;
    case "handshake-failed":
      return `P2P handshake on ${f.port} failed: ${f.reason} — ${f.detail}`;
    case "protocol-too-old":
      return `protocol ${f.version} is below the network minimum ${f.minimum}: update the node`;
    case "sapi-failed":
      return `SAPI on ${f.port} failed: ${f.reason} — ${f.detail}`;
  }
}

function list(ports: readonly number[]): string {
  const shown = ports.slice(0, 12).join(", ");
  return ports.length > 12 ? `${shown} … (${ports.length} ports)` : shown;
}
