import { createHash } from "node:crypto";
import type { Outpoint } from "../../netview/outpoint.ts";
import type { SimState } from "../../sim/state.ts";

/**
 * The demo's collateral for a simulated instance: a made-up transaction id derived from the
 * instance id, so the world's SmartNode list and the demo's `smartnodes:` agree without sharing state.
 */
export function demoCollateral(instanceId: string): Outpoint {
  return { txid: createHash("sha256").update(`nodeward demo collateral ${instanceId}`).digest("hex"), index: 1 };
}

/** The `smartnodes:` lines (YAML, indented two spaces) for the simulator's SmartNodes, as `nodeward import` would write them. */
export function demoSmartnodes(state: SimState): string {
  return state
    .instances()
    .filter((i) => i.tags.includes("smartnode") && i.main_ip !== "")
    .map((i) => {
      const c = demoCollateral(i.id);
      return `  - { alias: ${JSON.stringify(i.label)}, address: "${i.main_ip}:9678", txid: ${c.txid}, index: ${c.index} }`;
    })
    .join("\n");
}
