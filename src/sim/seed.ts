import { ipv4ForIndex, ipv6ForIndex } from "./addresses.ts";
import { createRandom, randomInt, randomUuid, shuffled } from "./prng.ts";
import type { SimState } from "./state.ts";

/**
 * A deterministic fleet: the same options (seed included) on an empty state give the same
 * instances, ids, addresses and attachments, so demos and benchmarks replay exactly.
 */

export interface SeedOptions {
  count: number;
  seed: number;
  /** Tags every instance carries (default ["smartnode"]). */
  tags?: string[];
  /** Region ids to spread the fleet over (default ewr, ams, sgp, fra, lax). */
  regions?: string[];
  /** Share of instances with IPv6 (default 0.3). */
  ipv6Fraction?: number;
  /** Share attached to the permissive "default" group (default 0.5, or 1 − noGroupFraction). */
  permissiveFraction?: number;
  /** Share with no group at all; the complement of permissiveFraction. */
  noGroupFraction?: number;
  /** Labels are `${labelPrefix}-${region}-${nnn}` (default "sn"). */
  labelPrefix?: string;
}

export interface SeedSummary {
  count: number;
  instanceIds: string[];
  /** The permissive group's id; "" when no instance was attached to one. */
  permissiveGroupId: string;
  permissive: number;
  noGroup: number;
  withIpv6: number;
  byRegion: Record<string, number>;
}

export const DEFAULT_REGIONS = ["ewr", "ams", "sgp", "fra", "lax"] as const;

export function seedFleet(state: SimState, opts: SeedOptions): SeedSummary {
  const { count, seed } = opts;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`seedFleet: count must be a non-negative integer, got ${count}`);
  const regions = opts.regions ?? [...DEFAULT_REGIONS];
  if (regions.length === 0) throw new RangeError("seedFleet: regions must not be empty");
  const permissiveShare = permissiveFraction(opts);
  const random = createRandom(seed);
  const nPermissive = Math.round(count * permissiveShare);
  const nIpv6 = Math.round(count * fraction(opts.ipv6Fraction ?? 0.3, "ipv6Fraction"));
  const order = shuffled(random, Array.from({ length: count }, (_, i) => i));
  const permissiveSet = new Set(order.slice(0, nPermissive));
  const ipv6Set = new Set(shuffled(random, order).slice(0, nIpv6));

  let permissiveGroupId = "";
  if (nPermissive > 0) {
    permissiveGroupId = state.addGroup("default", randomUuid(random)).id;
    for (const port of ["22", "9678"]) {
      const r = state.addRule(permissiveGroupId, { ip_type: "v4", protocol: "tcp", port, subnet: "0.0.0.0", subnet_size: 0 });
      if (!r.ok) throw new RangeError(`seedFleet: could not add the permissive rule: ${r.error}`);
    }
  }

  const base = state.instances().length;
  const perRegion: Record<string, number> = {};
  const instanceIds: string[] = [];
  const prefix = opts.labelPrefix ?? "sn";
  const width = Math.max(3, String(count).length);
  for (let i = 0; i < count; i++) {
    const region = regions[randomInt(random, regions.length)] as string;
    const n = (perRegion[region] = (perRegion[region] ?? 0) + 1);
    const label = `${prefix}-${region}-${String(n).padStart(width, "0")}`;
    const v6 = ipv6Set.has(i) ? ipv6ForIndex(base + i + 1) : undefined;
    const inst = state.addInstance({
      id: randomUuid(random),
      label,
      hostname: label,
      region,
      main_ip: ipv4ForIndex(base + i),
      tags: [...(opts.tags ?? ["smartnode"])],
      features: v6 ? ["ipv6"] : [],
      ...(v6 ?? {}),
      firewall_group_id: permissiveSet.has(i) ? permissiveGroupId : "",
    });
    instanceIds.push(inst.id);
  }
  return {
    count,
    instanceIds,
    permissiveGroupId,
    permissive: nPermissive,
    noGroup: count - nPermissive,
    withIpv6: nIpv6,
    byRegion: perRegion,
  };
}

function fraction(v: number, name: string): number {
  if (!(v >= 0 && v <= 1)) throw new RangeError(`seedFleet: ${name} must be between 0 and 1, got ${v}`);
  return v;
}

function permissiveFraction(opts: SeedOptions): number {
  const p = opts.permissiveFraction;
  const n = opts.noGroupFraction;
  if (p !== undefined && n !== undefined && Math.abs(p + n - 1) > 1e-9) {
    throw new RangeError(`seedFleet: permissiveFraction (${p}) and noGroupFraction (${n}) must add up to 1`);
  }
  if (p !== undefined) return fraction(p, "permissiveFraction");
  if (n !== undefined) return 1 - fraction(n, "noGroupFraction");
  return 0.5;
}
