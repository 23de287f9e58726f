import type { Clock } from "../../core/clock.ts";
import { systemClock } from "../../core/clock.ts";
import type { FleetStores } from "../../fleet/ports.ts";
import type { Stores } from "../stores.ts";
import { memoryFleetSnapshotStore } from "./fleet-snapshot-store.ts";
import { memoryIncidentStore } from "./incident-store.ts";
import { memoryLatestProbes } from "./latest-probe-store.ts";
import { memoryLeaseStore } from "./lease-store.ts";
import { memoryNetviewStore } from "./netview-store.ts";
import { memoryNodeStateStore } from "./node-state-store.ts";
import { memoryOutboxStore } from "./outbox-store.ts";
import { memoryProbeStore } from "./probe-store.ts";
import { memoryVantageStore } from "./vantage-store.ts";

export interface MemoryStoreOptions {
  /** The store's clock, which times leases (default: the system clock). */
  clock?: Pick<Clock, "now">;
}

/**
 * Every port in memory, for unit tests of the capabilities that use them: the same behaviour as
 * the SQLite store (both pass the same contract suites), nothing durable.
 */
export function openMemoryStore(opts: MemoryStoreOptions = {}): Stores & FleetStores {
  const latest = memoryLatestProbes();
  return {
    probes: memoryProbeStore(latest),
    incidents: memoryIncidentStore(),
    nodeStates: memoryNodeStateStore(),
    outbox: memoryOutboxStore(),
    fleetSnapshot: memoryFleetSnapshotStore(),
    netview: memoryNetviewStore(),
    latest: latest.latest,
    vantages: memoryVantageStore(),
    leases: memoryLeaseStore(opts.clock ?? systemClock),
    close() {},
  };
}
