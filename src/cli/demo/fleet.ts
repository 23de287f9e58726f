import type { SimState } from "../../sim/state.ts";
import { seedFleet } from "../../sim/seed.ts";

/** The demo's account: 8 SmartNodes in the states operators really leave them, plus 2 other servers. */
export function seedDemoFleet(state: SimState): { nodes: number; ipv6: number; others: number } {
  const seeded = seedFleet(state, { count: 8, seed: 7, tags: ["smartnode"], regions: ["ewr", "ams", "sgp"], ipv6Fraction: 0.25, permissiveFraction: 0.5, noGroupFraction: 0.5 });
  state.addInstance({ label: "website", hostname: "website", tags: ["web"], region: "ewr" });
  state.addInstance({ label: "mail", hostname: "mail", tags: [], region: "ams" });
  return { nodes: seeded.count, ipv6: seeded.withIpv6, others: 2 };
}
