import { authStoreContract } from "./contracts/auth-store.contract.ts";
import { fleetSnapshotStoreContract } from "./contracts/fleet-snapshot-store.contract.ts";
import { incidentStoreContract } from "./contracts/incident-store.contract.ts";
import { nodeStateStoreContract } from "./contracts/node-state-store.contract.ts";
import { outboxStoreContract } from "./contracts/outbox-store.contract.ts";
import { probeStoreContract } from "./contracts/probe-store.contract.ts";
import { latestProbeStoreContract, type LatestProbePorts } from "./contracts/latest-probe-store.contract.ts";
import { leaseStoreContract } from "./contracts/lease-store.contract.ts";
import { netviewStoreContract } from "./contracts/netview-store.contract.ts";
import { vantageStoreContract } from "./contracts/vantage-store.contract.ts";
import type { MakeStore } from "./contracts/harness.ts";
import { openPostgresStore, type PostgresStore } from "./postgres/open.ts";
import { postgresSuites } from "./postgres/server.test-support.ts";

/** Every contract against the PostgreSQL store: one real server for this file, a fresh database per test. */
postgresSuites("PostgreSQL store contracts", (server) => {
  function postgres<K extends "probes" | "incidents" | "nodeStates" | "outbox" | "fleetSnapshot" | "auth" | "vantages" | "leases" | "netview">(port: K): MakeStore<PostgresStore[K]> {
    return async () => {
      const store = await openPostgresStore(await (await server()).newDatabase());
      return { store: store[port], close: () => store.end() };
    };
  }

  probeStoreContract("postgres", postgres("probes"));
  incidentStoreContract("postgres", postgres("incidents"));
  nodeStateStoreContract("postgres", postgres("nodeStates"));
  outboxStoreContract("postgres", postgres("outbox"));
  fleetSnapshotStoreContract("postgres", postgres("fleetSnapshot"));
  authStoreContract("postgres", postgres("auth"));
  latestProbeStoreContract("postgres", async (): Promise<{ store: LatestProbePorts; close: () => Promise<void> }> => {
    const store = await openPostgresStore(await (await server()).newDatabase());
    return { store: { probes: store.probes, latest: store.latest }, close: () => store.end() };
  });
  vantageStoreContract("postgres", postgres("vantages"));
  leaseStoreContract("postgres", postgres("leases"));
  netviewStoreContract("postgres", postgres("netview"));
});
