import type Database from "better-sqlite3";
import type { FleetSnapshotStore } from "../../watch/ports.ts";
import { checkFleetSnapshot, parseStoredFleet } from "../fleet-record.ts";

/** `fleet_snapshot`: a single row (id 1) holding the last fleet the provider listed, as checked JSON. */
export function sqliteFleetSnapshotStore(db: Database.Database): FleetSnapshotStore {
  const put = db.prepare<[number, string]>(
    "INSERT INTO fleet_snapshot (id, taken_at, nodes) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET taken_at = excluded.taken_at, nodes = excluded.nodes",
  );
  const get = db.prepare<[], { nodes: string }>("SELECT nodes FROM fleet_snapshot WHERE id = 1");
  return {
    async saveFleet(snapshot) {
      const s = checkFleetSnapshot(snapshot);
      put.run(s.at, JSON.stringify(s));
    },
    async lastFleet() {
      const row = get.get();
      return row === undefined ? null : parseStoredFleet(row.nodes);
    },
  };
}
