import type { VantageRecord, VantageStore } from "../../fleet/ports.ts";
import { StoreError } from "../errors.ts";
import type { Db } from "./db.ts";

/**
 * `vantages`: one heartbeat row per watcher, upserted by name. The times are the watcher's own
 * (VantageRecord); the leader judges liveness from them against its own clock and interval.
 */

interface VantageRow {
  name: string;
  region: string;
  holder: string;
  started_at: number;
  seen_at: number;
  healthy: boolean;
  detail: string | null;
}

export function postgresVantageStore(db: Db): VantageStore {
  return {
    async beat(v) {
      checkVantageRecord(v);
      await db.query(
        `INSERT INTO vantages (name, region, holder, started_at, seen_at, healthy, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (name) DO UPDATE SET region = excluded.region, holder = excluded.holder, started_at = excluded.started_at,
           seen_at = excluded.seen_at, healthy = excluded.healthy, detail = excluded.detail`,
        [v.name, v.region, v.holder, v.startedAt, v.seenAt, v.healthy, v.detail],
      );
    },
    async vantages() {
      const { rows } = await db.query<VantageRow>('SELECT * FROM vantages ORDER BY name COLLATE "C"');
      return rows.map((r) => ({ name: r.name, region: r.region, holder: r.holder, startedAt: r.started_at, seenAt: r.seen_at, healthy: r.healthy, detail: r.detail }));
    },
    async forget(name) {
      await db.query("DELETE FROM vantages WHERE name = $1", [name]);
    },
  };
}

function checkVantageRecord(v: VantageRecord): void {
  const bad = (why: string) => new StoreError("invalid-argument", `cannot store the heartbeat of vantage ${JSON.stringify(v.name)}: ${why}`);
  if (v.name === "") throw bad("the name is empty");
  if (v.holder === "") throw bad("the holder is empty");
  for (const [what, t] of [["startedAt", v.startedAt], ["seenAt", v.seenAt]] as const) {
    if (!Number.isSafeInteger(t) || t < 0) throw bad(`${what} must be whole ms since the epoch, got ${t}`);
  }
}
