import type { OutboxStore } from "../alerts/outbox-store.ts";
import type { NetviewStore } from "../netview/ports.ts";
import type { FleetSnapshotStore, IncidentStore, NodeStateStore, ProbeStore } from "../watch/ports.ts";

/** Every storage port, from one backing store; what the daemon's composition root passes on. */
export interface Stores {
  probes: ProbeStore;
  incidents: IncidentStore;
  nodeStates: NodeStateStore;
  outbox: OutboxStore;
  fleetSnapshot: FleetSnapshotStore;
  /** The network's view of each SmartNode (netview/): what a single watcher and a fleet's leader both write. */
  netview: NetviewStore;
  /** Releases the store (for SQLite: closes the connection; later calls reject). Idempotent. */
  close(): void;
}
