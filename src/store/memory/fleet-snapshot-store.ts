import type { FleetSnapshot, FleetSnapshotStore } from "../../watch/ports.ts";
import { checkFleetSnapshot } from "../fleet-record.ts";

/** One snapshot, copied in and out. */
export function memoryFleetSnapshotStore(): FleetSnapshotStore {
  let last: FleetSnapshot | null = null;
  return {
    async saveFleet(snapshot) {
      last = structuredClone(checkFleetSnapshot(snapshot));
    },
    async lastFleet() {
      return last === null ? null : structuredClone(last);
    },
  };
}
