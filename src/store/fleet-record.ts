import { z } from "zod";
import type { FleetSnapshot } from "../watch/ports.ts";
import { StoreError } from "./errors.ts";

/**
 * The stored fleet snapshot, as JSON: checked on write (nothing unrepresentable is stored) and on
 * read (a damaged row is reported, never handed to the prober). Unknown keys are dropped.
 */
const port = z.number().int().min(1).max(65_535);
const targetSchema = z.object({
  nodeId: z.string().min(1),
  name: z.string(),
  address: z.string().min(1),
  instanceId: z.string().min(1).optional(),
  p2pPort: port,
  sapiPort: port.optional(),
  sapiPath: z.string().optional(),
});
export const fleetSnapshotSchema = z.object({ at: z.number().int().nonnegative(), nodes: z.array(targetSchema) });

export function checkFleetSnapshot(s: FleetSnapshot): FleetSnapshot {
  const parsed = fleetSnapshotSchema.safeParse(s);
  if (parsed.success) return parsed.data;
  throw new StoreError("invalid-argument", `cannot store the fleet snapshot: ${issues(parsed.error)}`);
}

export function parseStoredFleet(text: string): FleetSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new StoreError("corrupt-row", `the stored fleet snapshot is not JSON: ${(e as Error).message}`);
  }
  const parsed = fleetSnapshotSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new StoreError("corrupt-row", `the stored fleet snapshot failed validation: ${issues(parsed.error)}`);
}

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join(".") || "(snapshot)"}: ${i.message}`).join("; ");
}
