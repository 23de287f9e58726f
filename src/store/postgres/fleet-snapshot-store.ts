import type { FleetSnapshotStore } from "../../watch/ports.ts";
import { checkFleetSnapshot, parseStoredFleet } from "../fleet-record.ts";
import type { Db } from "./db.ts";

/** `fleet_snapshot`: a single row (id 1) holding the last fleet the provider listed, as checked JSON (checked again on read). */
export function postgresFleetSnapshotStore(db: Db): FleetSnapshotStore {
  return {
    async saveFleet(snapshot) {
      const s = checkFleetSnapshot(snapshot);
      await db.query(
        "INSERT INTO fleet_snapshot (id, taken_at, nodes) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET taken_at = excluded.taken_at, nodes = excluded.nodes",
        [s.at, JSON.stringify(s)],
      );
    },
    async lastFleet() {
      const { rows } = await db.query<{ nodes: string }>("SELECT nodes::text AS nodes FROM fleet_snapshot WHERE id = 1");
      return rows[0] === undefined ? null : parseStoredFleet(rows[0].nodes);
    },
  };
}
