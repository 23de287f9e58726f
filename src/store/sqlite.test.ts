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
import { openSqliteStore } from "./sqlite/open.ts";
import { tempDir } from "./temp-dir.test-support.ts";

/** Every contract against the SQLite store, each test on its own real file in a temp dir. */
const temp = tempDir();
let n = 0;

type Ports = Omit<Stores & FleetStores, "close">;

function sqlite<K extends keyof Ports>(port: K): MakeStore<Ports[K]> {
  return async () => {
    const store = openSqliteStore(temp.file(`${port}-${++n}.db`));
    return { store: store[port], close: () => store.close() };
  };
}

const latestPorts: MakeStore<LatestProbePorts> = async () => {
  const store = openSqliteStore(temp.file(`latest-${++n}.db`));
  return { store: { probes: store.probes, latest: store.latest }, close: () => store.close() };
};

probeStoreContract("sqlite", sqlite("probes"));
incidentStoreContract("sqlite", sqlite("incidents"));
nodeStateStoreContract("sqlite", sqlite("nodeStates"));
outboxStoreContract("sqlite", sqlite("outbox"));
fleetSnapshotStoreContract("sqlite", sqlite("fleetSnapshot"));
latestProbeStoreContract("sqlite", latestPorts);
vantageStoreContract("sqlite", sqlite("vantages"));
leaseStoreContract("sqlite", sqlite("leases"));
netviewStoreContract("sqlite", sqlite("netview"));
