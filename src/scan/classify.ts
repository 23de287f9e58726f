import type { PortReason, PortState } from "./types.ts";

/**
 * What a connect() error code says about the target, the way nmap's connect scan reads it
 * (scan_engine_connect.cc, handleConnectResult):
 *   ECONNREFUSED                        → closed (an RST came back)
 *   EHOSTUNREACH, ENETUNREACH, EACCES,  → filtered (an ICMP error came back: unreachable,
 *   ENOPROTOOPT, EHOSTDOWN, ENONET         admin-prohibited, protocol unreachable, …)
 *   ETIMEDOUT                           → silent (treated like our own timeout)
 * Codes that describe this machine rather than the target are never turned into a port state:
 * running out of descriptors, ports or buffers is `resource` (try again with fewer sockets),
 * anything else (EPERM from our own output firewall, ENETDOWN, unknown codes) is `fatal`,
 * because a scan from here cannot tell what the target would answer.
 *
 * `timing` marks answers whose round trip is a fair RTT sample: a SYN/ACK or an RST comes from
 * the target itself. ICMP errors do not: an "unreachable" after a failed ARP/ND lookup arrives
 * seconds late and would blow the adaptive timeout up.
 */
export type ErrnoClass =
  | { kind: "answer"; state: PortState; reason: PortReason; timing: boolean }
  | { kind: "silent" }
  | { kind: "resource" }
  | { kind: "fatal" };

const ANSWERS: Readonly<Record<string, { state: PortState; reason: PortReason; timing: boolean }>> = {
  ECONNREFUSED: { state: "closed", reason: "refused", timing: true },
  // An RST while the handshake is in flight: Linux reports ECONNREFUSED, others may say ECONNRESET.
  ECONNRESET: { state: "closed", reason: "refused", timing: true },
  EHOSTUNREACH: { state: "filtered", reason: "unreachable", timing: false },
  ENETUNREACH: { state: "filtered", reason: "net-unreachable", timing: false },
  // ICMPv6 "administratively prohibited" (and ICMP type 3 code 9/10 on some stacks).
  EACCES: { state: "filtered", reason: "admin-prohibited", timing: false },
  ENOPROTOOPT: { state: "filtered", reason: "proto-unreachable", timing: false },
  EHOSTDOWN: { state: "filtered", reason: "host-down", timing: false },
  ENONET: { state: "filtered", reason: "no-network", timing: false },
};

const SILENT: ReadonlySet<string> = new Set(["ETIMEDOUT"]);

/** Out of something local: fewer sockets at once will do. */
const RESOURCE: ReadonlySet<string> = new Set(["EMFILE", "ENFILE", "EADDRNOTAVAIL", "EADDRINUSE", "ENOBUFS", "ENOMEM", "EAGAIN"]);

export function classifyConnectError(code: string | undefined): ErrnoClass {
  if (code === undefined) return { kind: "fatal" };
  const answer = ANSWERS[code];
  if (answer !== undefined) return { kind: "answer", ...answer };
  if (SILENT.has(code)) return { kind: "silent" };
  if (RESOURCE.has(code)) return { kind: "resource" };
  return { kind: "fatal" };
}
