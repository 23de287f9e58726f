import type { OutboxStore } from "../alerts/outbox-store.ts";
import type { FleetSnapshotStore, IncidentStore, NodeStateStore, ProbeStore } from "../watch/ports.ts";

/** Every storage port, from one backing store; what the daemon's composition root passes on. */
export interface Stores {
  probes: ProbeStore;
  incidents: IncidentStore;
  nodeStates: NodeStateStore;
  outbox: OutboxStore;
  fleetSnapshot: FleetSnapshotStore;
  /** Releases the store (for SQLite: closes the connection; later calls reject). Idempotent. */
  close(): void;
}
