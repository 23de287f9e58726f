import type { AlertEvent, WatcherFault } from "./event.ts";
import type { Content } from "./render-model.ts";
import { duration, utcDateTime } from "./render-time.ts";

/** The messages about a fault of the watcher's own: it still watches, but something needs the operator. */

type FaultEvent = Extract<AlertEvent, { kind: "watcher-fault" | "watcher-fault-cleared" }>;

const WHAT: Record<WatcherFault, { title: string; action: string }> = {
  storage: {
    title: "cannot write its database",
    action: "free space on the disk that holds watch.database (or fix its I/O errors); with store.url, bring PostgreSQL back or mend the network to it. nodeward keeps probing and alerting, holds results in memory, and writes them when it can.",
  },
  "database-corrupt": {
    title: "found its database corrupt and started a new one",
    action: "nothing is needed to keep watching. The damaged file was kept beside the new one: `sqlite3 FILE .recover` can save what it held; dashboard users that could not be carried over must be added again.",
  },
  "database-deleted": {
    title: "found its database deleted",
    action: "find out what removed it (a cleanup job, a full-disk script); nodeward wrote its data back to the same path.",
  },
  inventory: {
    title: "cannot read the fleet from the provider",
    action: "check the provider's API key and status; nodeward watches the nodes it knew last and retries.",
  },
  "clock-jump": {
    title: "saw the system clock jump",
    action: "check time synchronisation (chrony, systemd-timesyncd) on the machine running `nodeward watch`; the watcher times escalations and reboots on its monotonic clock, so none was brought forward or held back.",
  },
  "no-leader": {
    title: "sees no leader in its fleet",
    action: "no watcher can hold the leader lease, so nobody sends node alerts or reboots: check that PostgreSQL (store.url) is up and reachable from the watchers. This alert comes straight from the watcher that saw it, not through the shared outbox.",
  },
  stalled: {
    title: "stopped one of its own loops",
    action: "nodeward exits so its supervisor (systemd) restarts it; check the service log for the cause.",
  },
};

export function watcherFaultContent(e: FaultEvent): Content {
  const what = WHAT[e.fault];
  if (e.kind === "watcher-fault") {
    return {
      title: `WATCHER FAULT: nodeward ${what.title}`,
      headline: `nodeward ${what.title}: ${e.detail}`,
      severity: "warning",
      fields: [
        { label: "Fault", value: e.fault },
        { label: "At", value: utcDateTime(e.at) },
        { label: "Detail", value: e.detail },
      ],
      action: what.action,
    };
  }
  return {
    title: `WATCHER FAULT CLEARED: ${e.fault} after ${duration(Math.max(0, e.at - e.since))}`,
    headline: `nodeward's ${e.fault} fault cleared after ${duration(Math.max(0, e.at - e.since))}: ${e.detail}`,
    severity: "ok",
    fields: [
      { label: "Fault", value: e.fault },
      { label: "Since", value: utcDateTime(e.since) },
      { label: "Cleared at", value: utcDateTime(e.at) },
    ],
    action: "nothing.",
  };
}
