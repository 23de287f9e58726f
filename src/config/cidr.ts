import ipaddr from "ipaddr.js";
import { canonicalSubnet } from "../firewall/rule.ts";
import type { IpType } from "../firewall/model.ts";

/** A CIDR block as the firewall needs it: family, canonical network address and prefix. */
export interface Cidr {
  ipType: IpType;
  /** Canonical network address: "203.0.113.0", "2001:db8::". */
  subnet: string;
  subnetSize: number;
  /** `${subnet}/${subnetSize}`, the canonical text nodeward.yaml values turn into. */
  text: string;
}

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; message: string };

/**
 * Parses "203.0.113.7/32" or "2001:db8::/32" strictly: a prefix length is required, IPv4 must be
 * four decimal parts, zone ids are refused, and host bits set are an error with the network
 * suggested, because a firewall rule for "10.0.0.1/8" silently means 10.0.0.0/8.
 */
export function parseCidr(input: string): CidrResult {
  const text = input.trim();
  const slash = text.indexOf("/");
  const addrText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? "" : text.slice(slash + 1);
  const kind = addressKind(addrText);
  if (kind === null) {
    return { ok: false, message: `"${input}" is not an IPv4 or IPv6 CIDR block; write e.g. 203.0.113.7/32 or 2001:db8::/48` };
  }
  const bits = kind === "v4" ? 32 : 128;
  if (slash === -1) {
    return { ok: false, message: `"${input}" has no prefix length; write ${addrText}/${bits} for this one address` };
  }
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return { ok: false, message: `"${input}" has prefix /${prefixText}; an ${kind === "v4" ? "IPv4" : "IPv6"} prefix is 0–${bits}` };
  }
  const size = Number(prefixText);
  const full = canonicalSubnet(addrText, bits);
  const net = canonicalSubnet(addrText, size);
  if (full === null || net === null) {
    return { ok: false, message: `"${input}" is not an IPv4 or IPv6 CIDR block` };
  }
  if (full.subnet !== net.subnet) {
    return { ok: false, message: `"${input}" has host bits set; did you mean ${net.subnet}/${size}?` };
  }
  return { ok: true, cidr: { ipType: kind, subnet: net.subnet, subnetSize: size, text: `${net.subnet}/${size}` } };
}

function addressKind(text: string): IpType | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return "v4";
  if (text.includes("%") || !ipaddr.IPv6.isValid(text)) return null;
  return "v6";
}
