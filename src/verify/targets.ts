import { isIP } from "node:net";
import type { Instance } from "../firewall/model.ts";
import type { VerifyExpectation, VerifyTarget } from "./evidence.ts";

/** Provider instances and static hosts as verify targets, narrowed to NODE arguments when given (pure). */
export function verifyTargets(
  instances: readonly Instance[],
  hosts: readonly { name: string; addresses: readonly string[] }[],
  only: readonly string[] = [],
): { targets: VerifyTarget[]; unknown: string[] } {
  const all: VerifyTarget[] = [
    ...instances.map((i) => ({
      name: i.label || i.id,
      id: i.id,
      source: "provider" as const,
      addresses: [i.mainIp, i.v6MainIp].filter((a) => a !== "").map(withFamily),
    })),
    ...hosts.map((h) => ({ name: h.name, source: "static" as const, addresses: h.addresses.map(withFamily) })),
  ];
  if (only.length === 0) return { targets: all, unknown: [] };
  const matches = (t: VerifyTarget, q: string) => t.name === q || t.id === q || t.addresses.some((a) => a.address === q);
  return {
    targets: all.filter((t) => only.some((q) => matches(t, q))),
    unknown: only.filter((q) => !all.some((t) => matches(t, q))),
  };
}

function withFamily(address: string): { address: string; family: 4 | 6 } {
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

/**
 * What every node must expose: the coin's TCP ports (ranges expanded, capped), with admin ports
 * allowed either way because only the admin's own address may reach them.
 */
export function verifyExpectation(
  coinPorts: readonly { protocol: "tcp" | "udp"; port: number; portEnd?: number; purpose: string }[],
  adminPorts: readonly { protocol: "tcp" | "udp"; port: number; portEnd?: number }[],
  minProtocolVersion?: number,
): VerifyExpectation {
  const expand = (p: { port: number; portEnd?: number }) => Array.from({ length: Math.min(1024, (p.portEnd ?? p.port) - p.port + 1) }, (_, i) => p.port + i);
  return {
    required: coinPorts.filter((p) => p.protocol === "tcp").flatMap((p) => expand(p).map((port) => ({ port, purpose: p.purpose }))),
    allowed: adminPorts.filter((p) => p.protocol === "tcp").flatMap(expand),
    ...(minProtocolVersion === undefined ? {} : { minProtocolVersion }),
  };
}
