import type { Stores } from "../stores.ts";
import { memoryFleetSnapshotStore } from "./fleet-snapshot-store.ts";
import { memoryIncidentStore } from "./incident-store.ts";
import { memoryNodeStateStore } from "./node-state-store.ts";
import { memoryOutboxStore } from "./outbox-store.ts";
import { memoryProbeStore } from "./probe-store.ts";

/**
 * Every port in memory, for unit tests of the capabilities that use them: the same behaviour as
 * the SQLite store (both pass the same contract suites), nothing durable.
 */
export function openMemoryStore(): Stores {
  return {
    probes: memoryProbeStore(),
    incidents: memoryIncidentStore(),
    nodeStates: memoryNodeStateStore(),
    outbox: memoryOutboxStore(),
    fleetSnapshot: memoryFleetSnapshotStore(),
    close() {},
  };
}
