/**
 * The network address inside `version` (CAddress): [uint32 time] uint64 services, 16-byte IPv6
 * (IPv4 as ::ffff:a.b.c.d), uint16 big-endian port. The time is present when the coin serialises
 * version at a stream version ≥ CADDR_TIME_VERSION (SmartCash: 30 bytes; Bitcoin: 26). NOTES §1.6.
 */
import ipaddr from "ipaddr.js";
import { AppError } from "../core/errors.ts";
import type { ByteReader, ByteWriter } from "./wire.ts";

export interface NetAddress {
  /** Present only in the 30-byte layout. */
  time?: number;
  services: bigint;
  /** Text form: "203.0.113.5", "2001:db8::1", "::" for unknown. */
  ip: string;
  port: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isMappedV4(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** CAddress::Init's nTime, which SmartCash puts in the addresses of its own version. */
export const ADDR_DEFAULT_TIME = 100_000_000;

/** [::]:0 with no services: what SmartCash sends for an unknown or unroutable address. */
export function unspecifiedAddress(): NetAddress {
  return { time: ADDR_DEFAULT_TIME, services: 0n, ip: "::", port: 0 };
}

export function addressSize(withTime: boolean): number {
  return withTime ? 30 : 26;
}

/** 16 bytes; IPv4 mapped into IPv6. Throws for text that is not an IP address (nodeward's own input). */
export function ipToBytes(text: string): Uint8Array {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const v4 = IPV4.exec(bare);
  if (v4 !== null && v4.slice(1).every((o) => Number(o) <= 255)) return Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4.slice(1).map(Number));
  if (!ipaddr.isValid(bare)) throw new AppError("USAGE", `expected an IPv4 or IPv6 address, got ${JSON.stringify(text)}`);
  const parsed = ipaddr.parse(bare);
  const v6 = parsed.kind() === "ipv4" ? (parsed as ipaddr.IPv4).toIPv4MappedAddress() : (parsed as ipaddr.IPv6);
  return Uint8Array.from(v6.toByteArray());
}

export function ipFromBytes(bytes: Uint8Array): string {
  if (isMappedV4(bytes)) return `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  if (bytes.every((b) => b === 0)) return "::";
  const v6 = ipaddr.fromByteArray(Array.from(bytes)) as ipaddr.IPv6;
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toRFC5952String();
}

export function writeAddress(w: ByteWriter, a: NetAddress, withTime: boolean): void {
  if (withTime) w.u32le(a.time ?? ADDR_DEFAULT_TIME);
  w.u64le(a.services).bytes(ipToBytes(a.ip)).u16be(a.port);
}

export function readAddress(r: ByteReader, withTime: boolean, field: string): NetAddress {
  const time = withTime ? r.u32le(`${field}.time`) : undefined;
  const services = r.u64le(`${field}.services`);
  const ip = r.bytes(16, `${field}.ip`);
  const port = r.u16be(`${field}.port`);
  const text = ip.length === 16 ? ipFromBytes(ip) : "::";
  return time === undefined ? { services, ip: text, port } : { time, services, ip: text, port };
}
