import type { FleetStores } from "../fleet/ports.ts";
import type { Stores } from "./stores.ts";
import { fleetSnapshotStoreContract } from "./contracts/fleet-snapshot-store.contract.ts";
import { incidentStoreContract } from "./contracts/incident-store.contract.ts";
import { latestProbeStoreContract, type LatestProbePorts } from "./contracts/latest-probe-store.contract.ts";
import { leaseStoreContract } from "./contracts/lease-store.contract.ts";
import { netviewStoreContract } from "./contracts/netview-store.contract.ts";
import { nodeStateStoreContract } from "./contracts/node-state-store.contract.ts";
import { outboxStoreContract } from "./contracts/outbox-store.contract.ts";
import { probeStoreContract } from "./contracts/probe-store.contract.ts";
import { vantageStoreContract } from "./contracts/vantage-store.contract.ts";
import type { MakeStore } from "./contracts/harness.ts";
import { openMemoryStore } from "./memory/open.ts";

type Ports = Omit<Stores & FleetStores, "close">;

/** Every contract against the in-memory store. */
function memory<K extends keyof Ports>(port: K): MakeStore<Ports[K]> {
  return async () => {
    const store = openMemoryStore();
    return { store: store[port], close: () => store.close() };
  };
}

const latestPorts: MakeStore<LatestProbePorts> = async () => {
  const store = openMemoryStore();
  return { store: { probes: store.probes, latest: store.latest }, close: () => store.close() };
};

probeStoreContract("memory", memory("probes"));
incidentStoreContract("memory", memory("incidents"));
nodeStateStoreContract("memory", memory("nodeStates"));
outboxStoreContract("memory", memory("outbox"));
fleetSnapshotStoreContract("memory", memory("fleetSnapshot"));
latestProbeStoreContract("memory", latestPorts);
vantageStoreContract("memory", memory("vantages"));
leaseStoreContract("memory", memory("leases"));
netviewStoreContract("memory", memory("netview"));
