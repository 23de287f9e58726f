import { createHash } from "node:crypto";
import type { Outpoint } from "../../netview/outpoint.ts";

/**
 * The demo's collateral for a simulated instance: a made-up transaction id derived from the
 * instance id, so the world's SmartNode list and the demo's `smartnodes:` agree without sharing state.
 */
export function demoCollateral(instanceId: string): Outpoint {
  return { txid: createHash("sha256").update(`nodeward demo collateral ${instanceId}`).digest("hex"), index: 1 };
}
