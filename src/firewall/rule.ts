import ipaddr from "ipaddr.js";
import { PROTOCOLS, type IpType, type Protocol, type Rule } from "./model.ts";

/**
 * Canonical rules. Vultr returns protocols lower-case, ports "" for non-TCP/UDP and IPv6 subnets
 * in RFC 5952 form, so comparing strings as typed causes perpetual drift (terraform-provider-vultr
 * #714). Everything is parsed and printed one way here, on both sides of every comparison.
 */

export interface RuleInput {
  ipType?: string;
  protocol: string;
  port?: string | number;
  subnet: string;
  subnetSize: number;
  source?: string;
  notes?: string;
}

export type CanonResult = { ok: true; rule: Rule } | { ok: false; reason: string };

export function isProtocol(p: string): p is Protocol {
  return (PROTOCOLS as readonly string[]).includes(p);
}

/** Port text for TCP/UDP: "9678" or "8000:8080" ("8000-8080" accepted); "" for anything else. */
export function canonicalPort(protocol: Protocol, port: string | number | undefined): string | null {
  if (protocol !== "tcp" && protocol !== "udp") return "";
  const text = String(port ?? "").trim();
  const m = /^(\d{1,5})(?:\s*[:-]\s*(\d{1,5}))?$/.exec(text);
  if (!m) return null;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 1 || hi > 65535 || hi < lo) return null;
  return lo === hi ? String(lo) : `${lo}:${hi}`;
}

/** Parses an address and masks it to its network; returns the canonical text and family. */
export function canonicalSubnet(subnet: string, size: number): { ipType: IpType; subnet: string } | null {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(subnet.trim());
  } catch {
    return null;
  }
  const ipType: IpType = addr.kind() === "ipv4" ? "v4" : "v6";
  const bits = ipType === "v4" ? 32 : 128;
  if (!Number.isInteger(size) || size < 0 || size > bits) return null;
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, size - i * 8));
    bytes[i] = (bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  const masked = ipaddr.fromByteArray(bytes);
  const text = ipType === "v4" ? masked.toString() : (masked as ipaddr.IPv6).toRFC5952String();
  return { ipType, subnet: text };
}

export function canonicalRule(input: RuleInput): CanonResult {
  const protocol = input.protocol.trim().toLowerCase();
  if (!isProtocol(protocol)) return { ok: false, reason: `unknown protocol "${input.protocol}"` };
  const port = canonicalPort(protocol, input.port);
  if (port === null) return { ok: false, reason: `bad port "${String(input.port ?? "")}" for ${protocol}` };
  const source = (input.source ?? "").trim();
  const net = canonicalSubnet(input.subnet, input.subnetSize);
  if (net === null) return { ok: false, reason: `bad subnet "${input.subnet}/${input.subnetSize}"` };
  const declared = input.ipType?.trim().toLowerCase();
  if (declared !== undefined && declared !== "" && declared !== net.ipType) {
    return { ok: false, reason: `subnet ${input.subnet} is not ${declared}` };
  }
  return {
    ok: true,
    rule: { ipType: net.ipType, protocol, port, subnet: net.subnet, subnetSize: input.subnetSize, source, notes: input.notes ?? "" },
  };
}

/** A rule's identity: everything the provider matches duplicates on, notes excluded. */
export function ruleKey(r: Rule): string {
  return `${r.ipType}|${r.protocol}|${r.port}|${r.subnet}/${r.subnetSize}|${r.source}`;
}

/** "tcp 9678 from 0.0.0.0/0 (v4)" — how plans and findings name a rule. */
export function describeRule(r: Rule): string {
  const what = r.port === "" ? r.protocol : `${r.protocol} ${r.port}`;
  const from = r.source !== "" ? `source ${r.source}` : `${r.subnet}/${r.subnetSize}`;
  return `${what} from ${from} (${r.ipType})`;
}

export function isAnywhere(r: Rule): boolean {
  return r.source === "" && r.subnetSize === 0;
}
