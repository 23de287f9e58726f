import type { TableCopy } from "./table.ts";
import { authBackupCodes, authEvents, authSessions, authUsers } from "./tables-auth.ts";
import { leases, vantages } from "./tables-fleet.ts";
import { netview } from "./tables-netview.ts";
import { nodeKeys, probeHours, probes } from "./tables-probes.ts";
import { fleetSnapshot, incidentEvents, incidents, nodeStates, outbox } from "./tables-watch.ts";

/**
 * Every table of the SQLite store, in copy order (a table after those it refers to): the only
 * place one is listed. A test checks this covers every table SQLite's migrations create.
 */
export const TABLES: readonly TableCopy[] = [
  nodeKeys,
  probes,
  probeHours,
  incidents,
  incidentEvents,
  nodeStates,
  outbox,
  fleetSnapshot,
  authUsers,
  authBackupCodes,
  authSessions,
  authEvents,
  vantages,
  leases,
  netview,
];

/** SQLite tables with nothing to copy: PostgreSQL keeps the same fact its own way. */
export const NOT_COPIED: Readonly<Record<string, string>> = {
  probe_latest_seq: "the change feed's counter; PostgreSQL numbers its feed from its own sequence",
  probe_latest:
    "the single watcher's newest result per node, as vantage \"local\": in a fleet every watcher writes its own, and a copied row would show as a watcher that never reports (the raw probes are copied)",
};
