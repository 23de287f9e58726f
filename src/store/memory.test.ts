import type { Stores } from "./stores.ts";
import { fleetSnapshotStoreContract } from "./contracts/fleet-snapshot-store.contract.ts";
import { incidentStoreContract } from "./contracts/incident-store.contract.ts";
import { nodeStateStoreContract } from "./contracts/node-state-store.contract.ts";
import { outboxStoreContract } from "./contracts/outbox-store.contract.ts";
import { probeStoreContract } from "./contracts/probe-store.contract.ts";
import type { MakeStore } from "./contracts/harness.ts";
import { openMemoryStore } from "./memory/open.ts";

/** Every contract against the in-memory store. */
function memory<K extends keyof Omit<Stores, "close">>(port: K): MakeStore<Stores[K]> {
  return async () => {
    const store = openMemoryStore();
    return { store: store[port], close: () => store.close() };
  };
}

probeStoreContract("memory", memory("probes"));
incidentStoreContract("memory", memory("incidents"));
nodeStateStoreContract("memory", memory("nodeStates"));
outboxStoreContract("memory", memory("outbox"));
fleetSnapshotStoreContract("memory", memory("fleetSnapshot"));
