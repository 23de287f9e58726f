/**
 * Loopback address plans for the benchmarks: COUNT consecutive IPv4 addresses from BASE inside
 * 127.0.0.0/8, skipping last octets 0 and 255, so that every simulated node has its own address
 * and can listen on the real ports (9678, 8080). Linux routes all of 127/8 to lo: nothing to add.
 */

export function loopbackAddresses(base: string, count: number): string[] {
  const start = toInt(base);
  if (start === null || start >>> 24 !== 127) throw new Error(`base address must be an IPv4 address in 127.0.0.0/8, got ${JSON.stringify(base)}`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`address count must be a positive integer, got ${count}`);
  const out: string[] = [];
  for (let n = start; out.length < count; n++) {
    if (n >>> 24 !== 127) throw new Error(`${count} addresses from ${base} run past 127.255.255.254`);
    const last = n & 0xff;
    if (last === 0 || last === 255) continue;
    out.push(`${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${last}`);
  }
  return out;
}

function toInt(a: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (m === null) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** "first–last" for printing. */
export function rangeText(addresses: readonly string[]): string {
  return addresses.length === 1 ? addresses[0]! : `${addresses[0]}–${addresses[addresses.length - 1]}`;
}
