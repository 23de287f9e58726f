import type Database from "better-sqlite3";
import type { VantageRecord, VantageStore } from "../../fleet/ports.ts";
import { checkVantageRecord } from "../vantage-record.ts";

/** `vantages` (migration 0005): one row per vantage name, replaced by each heartbeat. */

interface VantageRow {
  name: string;
  region: string;
  holder: string;
  started_at: number;
  seen_at: number;
  healthy: number;
  detail: string | null;
}

export function sqliteVantageStore(db: Database.Database): VantageStore {
  const upsert = db.prepare<VantageRow>(
    `INSERT INTO vantages (name, region, holder, started_at, seen_at, healthy, detail)
     VALUES (@name, @region, @holder, @started_at, @seen_at, @healthy, @detail)
     ON CONFLICT (name) DO UPDATE SET region = excluded.region, holder = excluded.holder, started_at = excluded.started_at,
       seen_at = excluded.seen_at, healthy = excluded.healthy, detail = excluded.detail`,
  );
  const all = db.prepare<[], VantageRow>("SELECT name, region, holder, started_at, seen_at, healthy, detail FROM vantages ORDER BY name");
  const drop = db.prepare<[string]>("DELETE FROM vantages WHERE name = ?");
  return {
    async beat(v) {
      const r = checkVantageRecord(v);
      upsert.run({ name: r.name, region: r.region, holder: r.holder, started_at: r.startedAt, seen_at: r.seenAt, healthy: r.healthy ? 1 : 0, detail: r.detail });
    },
    async vantages() {
      return all.all().map(fromRow);
    },
    async forget(name) {
      drop.run(name);
    },
  };
}

function fromRow(row: VantageRow): VantageRecord {
  return { name: row.name, region: row.region, holder: row.holder, startedAt: row.started_at, seenAt: row.seen_at, healthy: row.healthy === 1, detail: row.detail };
}
